/**
 * Changes one scalar of a YAML manifest by splicing the text at the node's range, so everything
 * else (comments, flow-style spacing, quoting, line ends) stays byte for byte as the user wrote
 * it. A path whose node is missing or not a scalar falls back to the yaml library's re-rendering.
 */
import { isScalar, isSeq, parseDocument } from 'yaml';

/** A plain YAML scalar when it reads back as the same string, else a double-quoted one. */
function yamlString(value: string): string {
  return /^[A-Za-z0-9_][A-Za-z0-9_.\-/]*$/.test(value) && !/^(true|false|null|~|[-+]?[0-9.]+(e[-+]?[0-9]+)?)$/i.test(value) ? value : JSON.stringify(value);
}

export function setScalarInPlace(text: string, path: string[], value: string): string {
  const doc = parseDocument(text);
  const node = doc.getIn(path, true);
  if (isScalar(node) && node.range) {
    const [start, end] = node.range;
    return `${text.slice(0, start)}${yamlString(value)}${text.slice(end)}`;
  }
  doc.setIn(path, value);
  return doc.toString({ lineWidth: 0 });
}

/** Replaces one sequence with a flow list of plain strings (`[a, b]`), splicing like setScalarInPlace. */
export function setListInPlace(text: string, path: string[], values: readonly string[]): string {
  const doc = parseDocument(text);
  const node = doc.getIn(path, true);
  if (isSeq(node) && node.range) {
    const [start, end] = node.range;
    // A block sequence's range ends after its last line break: keep that break.
    const body = text.slice(start, end);
    const trailing = body.slice(body.trimEnd().length);
    return `${text.slice(0, start)}[${values.map(yamlString).join(', ')}]${trailing}${text.slice(end)}`;
  }
  doc.setIn(path, [...values]);
  return doc.toString({ lineWidth: 0 });
}
