// The tokenizer of @energetic-ai/embeddings, linear instead of quadratic.

// encode is the SentencePiece-style tokenizer of @energetic-ai/embeddings
// (Tokenizer.encode), with the same output, but matching prefixes in the
// trie from an offset instead of on a copy of the rest of the text: the
// library's version is quadratic in the text's length.
export function encode(tokenizer, input) {
  const separator = "\u2581";
  const normalized = input.normalize("NFKC");
  const str = normalized.length > 0 ? separator + normalized.replace(/ /g, separator) : normalized;
  const symbols = Array.from(str);
  const len = symbols.length;
  const root = tokenizer.trie.root;
  const vocabulary = tokenizer.vocabulary;
  const nodes = [];
  const words = [];
  const best = [];
  for (let i = 0; i <= len; i++) {
    nodes.push({});
    words.push(0);
    best.push(0);
  }
  for (let i = 0; i < len; i++) {
    let matched = false;
    let node = Object.hasOwn(root.children, symbols[i]) ? root.children[symbols[i]] : undefined;
    for (let j = i; j < len && node; j++) {
      if (node.end) {
        matched = true;
        const piece = node.word;
        const end = i + piece[0].length;
        (nodes[end][i] ??= []).push({ key: piece[0], score: piece[1], index: piece[2] });
      }
      const next = symbols[j + 1];
      node = next !== undefined && Object.hasOwn(node.children, next) ? node.children[next] : undefined;
    }
    if (!matched) {
      (nodes[i + 1][i] ??= []).push({ key: [symbols[i]], score: 0, index: 0 });
    }
  }
  for (let endPos = 0; endPos <= len; endPos++) {
    for (const startPos in nodes[endPos]) {
      const arr = nodes[endPos][startPos];
      for (let j = 0; j < arr.length; j++) {
        const word = arr[j];
        const score = word.score + best[endPos - word.key.length];
        if (best[endPos] === 0 || score >= best[endPos]) {
          best[endPos] = score;
          words[endPos] = word.index;
        }
      }
    }
  }
  const results = [];
  let iter = words.length - 1;
  while (iter > 0) {
    results.push(words[iter]);
    iter -= vocabulary[words[iter]][0].length;
  }
  const merged = [];
  let isPreviousUnk = false;
  for (let i = 0; i < results.length; i++) {
    const id = results[i];
    if (!(isPreviousUnk && id === 0)) merged.push(id);
    isPreviousUnk = id === 0;
  }
  return merged.reverse();
}
