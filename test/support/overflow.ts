/**
 * Issue 12 (Build 9): nothing of the page on screen clips or runs out of its box. Run in the page
 * (a string: the root tsconfig has no DOM types). An element overflows when its content is wider
 * than its box (scrollWidth > clientWidth) and it is not meant to scroll (overflow-x auto/scroll),
 * when it hides content vertically (overflow-y hidden with scrollHeight > clientHeight), or when
 * it reaches outside the screen. Inputs scroll their own text and are left out.
 */
import type { Preview } from './browser';

const FIND_OVERFLOWS = `(() => {
  const root = document.querySelector('.taro_page_show');
  if (!root) return ['no page on screen'];
  const vw = document.documentElement.clientWidth;
  const name = (el) => {
    const id = el.id ? '#' + el.id : '';
    const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
    return el.tagName.toLowerCase() + id + cls + ' "' + (el.textContent || '').trim().slice(0, 40) + '"';
  };
  const out = [];
  for (const el of [root, ...root.querySelectorAll('*')]) {
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.visibility === 'hidden') continue;
    const tag = el.tagName.toLowerCase();
    if (tag === 'input' || tag === 'textarea' || el.closest('input, textarea')) continue;
    const scrollsX = cs.overflowX === 'auto' || cs.overflowX === 'scroll';
    if (!scrollsX && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) out.push(name(el) + ': content ' + el.scrollWidth + 'px wide in a ' + el.clientWidth + 'px box');
    if (cs.overflowY === 'hidden' && el.clientHeight > 0 && el.scrollHeight > el.clientHeight + 1) out.push(name(el) + ': content clipped (' + el.scrollHeight + 'px tall in ' + el.clientHeight + 'px)');
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.height > 0 && (r.right > vw + 1 || r.left < -1)) out.push(name(el) + ': reaches outside the screen (' + Math.round(r.left) + '..' + Math.round(r.right) + ' of ' + vw + 'px)');
  }
  return out;
})()`;

/** What overflows on the page on screen, in words (empty when nothing does). */
export async function overflows(p: Preview): Promise<string[]> {
  return (await p.page.evaluate(FIND_OVERFLOWS)) as string[];
}
