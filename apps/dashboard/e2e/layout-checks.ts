import type { Page } from 'playwright-core';

/**
 * What is wrong with the page's layout at its current viewport, as readable lines (empty when nothing):
 * - the page itself scrolls sideways;
 * - a visible control, heading or text block sticks out of the viewport, unless it sits in a table box
 *   that scrolls sideways and shows its scroll hint;
 * - a link, button, heading, label or table header cuts its own text (an ellipsis, "Settin…");
 * - a table box scrolls sideways without showing its hint.
 */
export function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const width = window.innerWidth;
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) {
      problems.push(
        `the page scrolls sideways: ${root.scrollWidth}px wide in a ${root.clientWidth}px viewport`,
      );
    }
    const describe = (el: Element) => {
      const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
      const label = el.getAttribute('aria-label');
      return `<${el.tagName.toLowerCase()}${el.className ? ` class="${el.className}"` : ''}> "${label ?? text}"`;
    };
    const visible = (el: Element) => {
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) return false;
      const style = getComputedStyle(el);
      return style.visibility !== 'hidden' && !el.closest('[hidden], .visually-hidden, .sr-sep');
    };

    const scrollers = [...document.querySelectorAll<HTMLElement>('.table-wrap')];
    for (const box of scrollers) {
      if (box.scrollWidth <= box.clientWidth + 1) continue;
      const hint = box.parentElement?.querySelector('.scroll-hint');
      if (!hint || !visible(hint)) {
        problems.push(`${describe(box)} scrolls sideways without a visible hint`);
      }
    }
    const inScroller = (el: Element) => scrollers.some((box) => box !== el && box.contains(el));

    const blocks = 'a, button, input, select, textarea, h1, h2, h3, p, label, th, td, li, output';
    for (const el of document.querySelectorAll<HTMLElement>(blocks)) {
      if (!visible(el)) continue;
      const rect = el.getBoundingClientRect();
      if (!inScroller(el) && (rect.left < -0.5 || rect.right > width + 0.5)) {
        problems.push(
          `${describe(el)} sticks out of the viewport (${Math.round(rect.left)}..${Math.round(rect.right)} of ${width})`,
        );
      }
    }
    for (const el of document.querySelectorAll<HTMLElement>('a, button, h1, h2, h3, label, th')) {
      // history notes and long user names are shortened on purpose, with the whole text in a title
      if (!visible(el) || el.closest('.note-cell, .who')) continue;
      if (el.scrollWidth > el.clientWidth + 1) {
        problems.push(
          `${describe(el)} cuts or spills its text (${el.scrollWidth}px of text in ${el.clientWidth}px)`,
        );
      }
    }
    return [...new Set(problems)];
  });
}

/**
 * The elements matching `selector` that are hidden or lie outside the viewport: horizontally only (a
 * row further down the page is reached by scrolling down), or on both axes (an open menu).
 */
export function outsideViewport(page: Page, selector: string, axes: 'x' | 'xy' = 'x'): Promise<string[]> {
  return page.evaluate(
    ([sel, both]) => {
      const out: string[] = [];
      for (const el of document.querySelectorAll<HTMLElement>(sel)) {
        const rect = el.getBoundingClientRect();
        const name = el.getAttribute('aria-label') ?? el.textContent?.trim() ?? '';
        const offX = rect.left < 0 || rect.right > window.innerWidth;
        const offY = rect.top < 0 || rect.bottom > window.innerHeight;
        if (rect.width === 0 || rect.height === 0) out.push(`"${name}" is not shown`);
        else if (offX || (both && offY)) {
          out.push(
            `"${name}" is at x ${Math.round(rect.left)}..${Math.round(rect.right)}, y ${Math.round(rect.top)}..${Math.round(rect.bottom)} in ${window.innerWidth}×${window.innerHeight}`,
          );
        }
      }
      return out;
    },
    [selector, axes === 'xy'] as const,
  );
}
