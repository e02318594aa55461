import { lex, type Token } from './lexer';

/** One statement of a script, with its position in the original text. */
export interface RawStatement {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** True when the statement is inside a Flink statement set (`EXECUTE STATEMENT SET BEGIN … END`). */
  readonly inStatementSet: boolean;
}

function words(tokens: ReadonlyArray<Token>, from: number, count: number): string[] {
  const out: string[] = [];
  for (let i = from; i < tokens.length && out.length < count; i++) {
    const t = tokens[i] as Token;
    if (t.kind === 'space' || t.kind === 'comment') continue;
    out.push(t.kind === 'word' ? t.upper : t.text);
  }
  return out;
}

/**
 * Splits a script on top-level semicolons. Flink statement sets are unwrapped: both
 * `EXECUTE STATEMENT SET BEGIN … END` and the older `BEGIN STATEMENT SET; … END;` yield their inner
 * statements, marked `inStatementSet`. Statements that hold only comments are dropped.
 */
export function splitStatements(sql: string): RawStatement[] {
  const tokens = lex(sql);
  const out: RawStatement[] = [];
  let inSet = false;
  let depth = 0;
  let caseDepth = 0;
  let stmtStart = -1;
  const flush = (endTok: number): void => {
    if (stmtStart === -1) return;
    const startTok = tokens[stmtStart] as Token;
    let last = endTok - 1;
    while (last >= stmtStart && ['space', 'comment'].includes((tokens[last] as Token).kind)) last--;
    if (last >= stmtStart) {
      const end = (tokens[last] as Token).end;
      out.push({
        text: sql.slice(startTok.start, end),
        start: startTok.start,
        end,
        inStatementSet: inSet,
      });
    }
    stmtStart = -1;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind === 'space' || t.kind === 'comment') continue;
    if (stmtStart === -1) {
      const head = words(tokens, i, 4);
      if (
        head[0] === 'EXECUTE' &&
        head[1] === 'STATEMENT' &&
        head[2] === 'SET' &&
        head[3] === 'BEGIN'
      ) {
        let seen = 0;
        while (i < tokens.length && seen < 4) {
          if ((tokens[i] as Token).kind !== 'space' && (tokens[i] as Token).kind !== 'comment')
            seen++;
          if (seen < 4) i++;
        }
        inSet = true;
        continue;
      }
      if (head[0] === 'BEGIN' && head[1] === 'STATEMENT' && head[2] === 'SET') {
        let seen = 0;
        while (i < tokens.length && seen < 3) {
          if ((tokens[i] as Token).kind !== 'space' && (tokens[i] as Token).kind !== 'comment')
            seen++;
          if (seen < 3) i++;
        }
        inSet = true;
        continue;
      }
      if (inSet && head[0] === 'END') {
        inSet = false;
        continue;
      }
      if (t.kind === 'punct' && t.text === ';') continue;
      stmtStart = i;
      depth = 0;
      caseDepth = 0;
    }
    if (t.kind === 'word' && t.upper === 'CASE') caseDepth++;
    if (t.kind === 'punct') {
      if (t.text === '(') depth++;
      else if (t.text === ')') depth = Math.max(0, depth - 1);
      else if (t.text === ';' && depth === 0) flush(i);
    } else if (t.kind === 'word' && t.upper === 'END' && caseDepth > 0) {
      caseDepth--;
    } else if (inSet && depth === 0 && t.kind === 'word' && t.upper === 'END') {
      // `… INSERT INTO b SELECT … END;` without a semicolon before END.
      flush(i);
      inSet = false;
    }
  }
  flush(tokens.length);
  return out;
}
