/**
 * @jest-environment node
 *
 * Issue 12 (Build 8): no code, English word or peer name reaches a patient. Every text the client
 * can show (string literals, template text and JSX text of client/src that contain Chinese) and
 * every message the BFF sends to patients (shared/src errors, order-state labels, contract
 * validation messages; every `new DomainError(…)` text of the patient and kiosk flows and the HTTP
 * layer of bff/src) is read from the source with the
 * TypeScript parser (comments are not texts) and checked for Latin words, transaction codes and
 * peer names.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../../..');

/**
 * Where patient-facing words live. Not scanned: the staff console (bff/src/staff: staff words),
 * the order timeline and reversal notes (staff only), the sandbox, tests, and the H5 preview's
 * own sandbox hints (platform.h5.ts: the browser preview for developers, never in a mini-program).
 */
const SOURCES = ['client/src', 'shared/src/errors.ts', 'shared/src/order-state.ts', 'shared/src/contract/patient.ts', 'shared/src/contract/family.ts', 'shared/src/contract/schemas.ts', 'bff/src/flows', 'bff/src/http', 'bff/src/kiosk'];
const NOT_PATIENT_FACING = ['client/src/platform/platform.h5.ts'];
/** in the BFF only what it answers a patient with: the text of an DomainError */
const ONLY_APP_ERRORS = (rel: string) => rel.startsWith('bff/');

const HAN = /\p{Script=Han}/u;
/** what a patient must never read */
const FORBIDDEN: { why: string; re: RegExp }[] = [
  { why: 'Latin word', re: /[A-Za-z]{2,}/ },
  { why: 'transaction code', re: /(?<!\d)(?:1101|2201|2206|2207|620[1-3]|630[1-2]|6401)(?!\d)/ },
  { why: 'peer name', re: /HIS|WeChat|Alipay|wechat|alipay|微信支付分/ },
];

function files(rel: string): string[] {
  const abs = path.join(ROOT, rel);
  if (fs.statSync(abs).isFile()) return [abs];
  return fs
    .readdirSync(abs, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(rel, e.name)) : /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path.join(abs, e.name)] : []));
}

/** API documentation (`.describe('…')`, `summary: '…'`) is for developers, not patients. */
function isDocumentation(n: ts.Node): boolean {
  const p = n.parent;
  if (ts.isCallExpression(p) && ts.isPropertyAccessExpression(p.expression) && p.expression.name.text === 'describe') return true;
  return ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'summary';
}

function insideDomainError(n: ts.Node): boolean {
  for (let p: ts.Node | undefined = n.parent; p; p = p.parent) {
    if (ts.isNewExpression(p) && p.expression.getText() === 'DomainError') return true;
    if (ts.isFunctionLike(p)) return false;
  }
  return false;
}

/** Every text of a file that contains Chinese (so is meant for a person), with its line. */
function textsOf(file: string): { text: string; line: number }[] {
  const appErrorsOnly = ONLY_APP_ERRORS(path.relative(ROOT, file));
  const src = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const out: { text: string; line: number }[] = [];
  const visit = (n: ts.Node) => {
    let text: string | undefined;
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) text = n.text;
    else if (ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n)) text = n.text;
    else if (ts.isJsxText(n)) text = n.text;
    if (text !== undefined && HAN.test(text) && !isDocumentation(n) && (!appErrorsOnly || insideDomainError(n))) out.push({ text, line: src.getLineAndCharacterOfPosition(n.getStart()).line + 1 });
    ts.forEachChild(n, visit);
  };
  visit(src);
  return out;
}

const all = SOURCES.flatMap(files)
  .filter((f) => !NOT_PATIENT_FACING.includes(path.relative(ROOT, f)))
  .flatMap((f) => textsOf(f).map((t) => ({ ...t, file: path.relative(ROOT, f) })));

test('the scan finds the patient-facing texts of client, shared and bff', () => {
  const from = new Set(all.map((t) => t.file.split('/')[0]));
  expect([...from].sort()).toEqual(['bff', 'client', 'shared']);
  expect(all.length).toBeGreaterThan(200);
});

test('no text a patient can see carries a Latin word, a transaction code or a peer name', () => {
  const bad = all.flatMap((t) => FORBIDDEN.filter((f) => f.re.test(t.text)).map((f) => `${t.file}:${t.line} ${f.why}: ${JSON.stringify(t.text)}`));
  expect(bad).toEqual([]);
});

test('the scan would catch the jargon issue 12 found', () => {
  const caught = (s: string) => FORBIDDEN.some((f) => f.re.test(s));
  expect(caught('HIS 拒绝入账: 503 号源已被占用')).toBe(true);
  expect(caught('医保中心未受理：6202 下单失败')).toBe(true);
  expect(caught('请在 WeChat 中完成支付')).toBe(true);
  expect(caught('这次没有扣款，请稍后重试')).toBe(false);
});
