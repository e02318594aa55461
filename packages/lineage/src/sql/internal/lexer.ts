/**
 * A small SQL lexer for the four dialects, used to split scripts, mask scheduler variables,
 * read statement headers and strip dialect clauses before a real parser sees the text. It never
 * fails: unknown characters become `punct` tokens, unterminated quotes run to the end.
 */

export type TokenKind =
  | 'word' // bare identifier or keyword
  | 'quoted' // `backtick` identifier
  | 'string' // 'single' or "double" quoted literal
  | 'number'
  | 'var' // ${name} or $[expr]
  | 'punct'
  | 'comment'
  | 'space';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Upper-cased text for words, for keyword checks. */
  readonly upper: string;
}

const isWordStart = (c: string): boolean => /[A-Za-z_\u0080-\uffff]/.test(c);
const isWordPart = (c: string): boolean => /[A-Za-z0-9_$\u0080-\uffff]/.test(c);
const isVarStart = (s: string, i: number): boolean =>
  s[i] === '$' && (s[i + 1] === '{' || s[i + 1] === '[');

export function lex(sql: string): Token[] {
  const out: Token[] = [];
  const n = sql.length;
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number): void => {
    const text = sql.slice(start, end);
    out.push({ kind, text, start, end, upper: kind === 'word' ? text.toUpperCase() : text });
  };
  while (i < n) {
    const c = sql[i] as string;
    const start = i;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      while (i < n && /\s/.test(sql[i] as string)) i++;
      push('space', start, i);
    } else if ((c === '-' && sql[i + 1] === '-') || c === '#') {
      while (i < n && sql[i] !== '\n') i++;
      push('comment', start, i);
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close === -1 ? n : close + 2;
      push('comment', start, i);
    } else if (c === "'" || c === '"') {
      i++;
      while (i < n) {
        const d = sql[i];
        if (d === '\\') {
          i += 2;
          continue;
        }
        if (d === c) {
          if (sql[i + 1] === c) {
            i += 2;
            continue;
          }
          i++;
          break;
        }
        i++;
      }
      push('string', start, Math.min(i, n));
    } else if (c === '`') {
      i++;
      while (i < n) {
        if (sql[i] === '`') {
          if (sql[i + 1] === '`') {
            i += 2;
            continue;
          }
          i++;
          break;
        }
        i++;
      }
      push('quoted', start, Math.min(i, n));
    } else if (c === '$' && (sql[i + 1] === '{' || sql[i + 1] === '[')) {
      const close = sql.indexOf(sql[i + 1] === '{' ? '}' : ']', i + 2);
      i = close === -1 ? n : close + 1;
      push('var', start, i);
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      while (i < n && /[0-9.eE]/.test(sql[i] as string)) i++;
      // 1d, 10L, 2e5 and the like: keep trailing word characters in the number.
      while (i < n && isWordPart(sql[i] as string)) i++;
      push('number', start, i);
    } else if (isWordStart(c)) {
      while (i < n && isWordPart(sql[i] as string) && !isVarStart(sql, i)) i++;
      push('word', start, i);
    } else {
      i++;
      push('punct', start, i);
    }
  }
  return out;
}

/** Tokens without spaces and comments. */
export function significant(tokens: ReadonlyArray<Token>): Token[] {
  return tokens.filter((t) => t.kind !== 'space' && t.kind !== 'comment');
}

/** Removes backticks/quotes around an identifier part. */
export function unquote(text: string): string {
  if (
    text.length >= 2 &&
    (text[0] === '`' || text[0] === '"') &&
    text[text.length - 1] === text[0]
  ) {
    const q = text[0];
    return text.slice(1, -1).split(`${q}${q}`).join(q);
  }
  return text;
}

/** An edit on a text: replace [start, end) by `text`. */
export interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Applies non-overlapping edits. */
export function applyEdits(source: string, edits: ReadonlyArray<Edit>): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) continue;
    out += source.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + source.slice(at);
}

/** Index of the token that closes the parenthesis opened at `open` (significant tokens). */
export function matchParen(tokens: ReadonlyArray<Token>, open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind !== 'punct') continue;
    if (t.text === '(') depth++;
    else if (t.text === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return tokens.length - 1;
}
