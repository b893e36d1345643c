import { type RefObject, useEffect, useLayoutEffect, useRef, useState } from 'react';

/** One row with everything; the links on a row of their own; or everything behind a Menu button. */
export type HeaderLayout = 'row' | 'two-rows' | 'menu';

type Widths = { brand: number; nav: number; account: number; gap: number; padding: number };

function measure(row: HTMLElement): Widths {
  const style = getComputedStyle(row);
  const part = (name: string) =>
    Math.ceil(
      row.querySelector<HTMLElement>(`:scope > [data-part="${name}"]`)?.getBoundingClientRect().width ?? 0,
    );
  return {
    brand: part('brand'),
    nav: part('nav'),
    account: part('account'),
    gap: Number.parseFloat(style.columnGap) || 0,
    padding: Number.parseFloat(style.paddingLeft) + Number.parseFloat(style.paddingRight),
  };
}

function choose(w: Widths, width: number): HeaderLayout {
  if (w.brand + w.nav + w.account + 2 * w.gap + w.padding <= width) return 'row';
  if (Math.max(w.brand + w.account + w.gap, w.nav) + w.padding <= width) return 'two-rows';
  return 'menu';
}

/**
 * Picks the header's layout from the widths its parts need. Whenever `contentKey` changes (another
 * language, more links, another name) the row is rendered with every part unshrunk (`measuring`),
 * measured before the browser paints, then laid out; later resizes reuse those widths. So a longer
 * translation or a new page moves the links to a row of their own, then into a menu, instead of
 * clipping them.
 */
export function useHeaderLayout(
  rowRef: RefObject<HTMLElement | null>,
  contentKey: string,
): { layout: HeaderLayout; measuring: boolean } {
  const [state, setState] = useState<{ key: string; layout: HeaderLayout | null }>({
    key: contentKey,
    layout: null,
  });
  const widths = useRef<Widths | null>(null);
  const measuring = state.key !== contentKey || state.layout === null;

  useLayoutEffect(() => {
    const row = rowRef.current;
    if (!measuring || !row) return;
    widths.current = measure(row);
    setState({ key: contentKey, layout: choose(widths.current, row.clientWidth) });
  });

  useEffect(() => {
    const row = rowRef.current;
    if (!row) return;
    const observer = new ResizeObserver(() => {
      if (!widths.current) return;
      const layout = choose(widths.current, row.clientWidth);
      setState((s) => (s.layout === null || s.layout === layout ? s : { ...s, layout }));
    });
    observer.observe(row);
    return () => observer.disconnect();
  }, [rowRef]);

  return { layout: state.layout ?? 'row', measuring };
}
