import { applyEdits, type Edit, lex, type Token } from './lexer';

/** The outcome of {@link maskVariables}. */
export interface MaskedSql {
  readonly text: string;
  /** Placeholder identifier → the variable text it replaced (to restore names). */
  readonly placeholders: ReadonlyMap<string, string>;
  /** Variables replaced by a value from `variables`. */
  readonly substituted: ReadonlyArray<string>;
  /** Variables left unknown and masked (outside quotes). */
  readonly masked: ReadonlyArray<string>;
}

const VAR_IN_STRING = /\$\{[^}]*\}|\$\[[^\]]*\]/g;

function lookup(token: string, variables: Readonly<Record<string, string>>): string | undefined {
  if (Object.hasOwn(variables, token)) return variables[token];
  const inner = token.slice(2, -1).trim();
  if (Object.hasOwn(variables, inner)) return variables[inner];
  const colon = inner.indexOf(':');
  if (colon !== -1) {
    const bare = inner.slice(colon + 1);
    if (Object.hasOwn(variables, bare)) return variables[bare];
  }
  return undefined;
}

/** Keywords after which a variable stands for a table name (`INSERT INTO ${target}`). */
const NAME_BEFORE: ReadonlySet<string> = new Set([
  'TABLE',
  'INTO',
  'FROM',
  'JOIN',
  'UPDATE',
  'OVERWRITE',
  'USE',
  'VIEW',
]);

const NAME_KINDS: ReadonlySet<string> = new Set(['word', 'quoted', 'number', 'var']);

function joinsName(t: Token | undefined): boolean {
  return t !== undefined && (NAME_KINDS.has(t.kind) || (t.kind === 'punct' && t.text === '.'));
}

/**
 * Replaces scheduler variables (`${bizdate}`, `${system.biz.date}`, `${hiveconf:x}`,
 * `$[yyyyMMdd-1]`). Known ones (from `variables`, by full text, name, or name after a `prefix:`)
 * are substituted everywhere, also inside quotes. Unknown ones inside quotes are left alone (they
 * are literal text to the parser); outside quotes they become a placeholder: an identifier when
 * glued to a name (`ods.t_${bizdate}`), else a string literal (`dt = ${bizdate}`).
 */
export function maskVariables(
  sql: string,
  variables: Readonly<Record<string, string>> = {},
  firstPlaceholder = 0,
): MaskedSql {
  const tokens = lex(sql);
  const edits: Edit[] = [];
  const placeholders = new Map<string, string>();
  const substituted: string[] = [];
  const masked: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind === 'string' && t.text.includes('$')) {
      const replaced = t.text.replace(VAR_IN_STRING, (m) => {
        const v = lookup(m, variables);
        if (v === undefined) return m;
        substituted.push(m);
        return v.replace(/'/g, "''");
      });
      if (replaced !== t.text) edits.push({ start: t.start, end: t.end, text: replaced });
      continue;
    }
    if (t.kind !== 'var') continue;
    const value = lookup(t.text, variables);
    if (value !== undefined) {
      substituted.push(t.text);
      edits.push({ start: t.start, end: t.end, text: value });
      continue;
    }
    masked.push(t.text);
    const placeholder = `__var${firstPlaceholder + placeholders.size}__`;
    placeholders.set(placeholder, t.text);
    let prevWord: Token | undefined;
    for (let k = i - 1; k >= 0; k--) {
      const u = tokens[k] as Token;
      if (u.kind === 'space' || u.kind === 'comment') continue;
      prevWord = u;
      break;
    }
    const glued =
      joinsName(tokens[i - 1]) ||
      joinsName(tokens[i + 1]) ||
      (prevWord?.kind === 'word' && NAME_BEFORE.has(prevWord.text.toUpperCase()));
    edits.push({ start: t.start, end: t.end, text: glued ? placeholder : `'${placeholder}'` });
  }
  return {
    text: edits.length === 0 ? sql : applyEdits(sql, edits),
    placeholders,
    substituted,
    masked,
  };
}

/** Puts variable text back into a name that holds placeholders. */
export function restoreVariables(name: string, placeholders: ReadonlyMap<string, string>): string {
  if (placeholders.size === 0 || !name.includes('__var')) return name;
  return name.replace(/__var\d+__/g, (m) => placeholders.get(m) ?? m);
}
