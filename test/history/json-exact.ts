/** JSON text with every number turned into a string of its exact digits (no float on the way). */
export function parseJsonExact(text: string): Record<string, unknown> {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      out += ch;
      if (ch === '\\') out += text[++i];
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
      out += ch;
    } else if (/[-\d]/.test(ch)) {
      let j = i;
      while (j < text.length && /[-+\d.eE]/.test(text[j]!)) j++;
      out += JSON.stringify(text.slice(i, j));
      i = j - 1;
    } else out += ch;
  }
  return JSON.parse(out);
}
