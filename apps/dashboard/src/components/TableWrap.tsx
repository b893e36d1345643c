import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n.tsx';

/**
 * A table's box. When the table is wider than the screen it scrolls sideways, and says so: a line above
 * it and a fade at the edge that still hides columns. A scrolling box also takes keyboard focus, so the
 * arrow keys can scroll it.
 */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  const { t } = useI18n();
  const ref = useRef<HTMLElement>(null);
  const [more, setMore] = useState({ left: false, right: false });

  useEffect(() => {
    const box = ref.current;
    if (!box) return;
    const update = () => {
      const left = box.scrollLeft > 1;
      const right = box.scrollLeft + box.clientWidth < box.scrollWidth - 1;
      setMore((m) => (m.left === left && m.right === right ? m : { left, right }));
    };
    update();
    const observer = new ResizeObserver(update);
    observer.observe(box);
    for (const child of box.children) observer.observe(child);
    box.addEventListener('scroll', update, { passive: true });
    return () => {
      observer.disconnect();
      box.removeEventListener('scroll', update);
    };
  }, []);

  const scrolls = more.left || more.right;
  return (
    <div
      className="table-scroll"
      data-more-left={more.left || undefined}
      data-more-right={more.right || undefined}
    >
      {scrolls && (
        <p className="scroll-hint" aria-hidden="true">
          {t('table.scrollHint')}
        </p>
      )}
      <section ref={ref} className="table-wrap" aria-label={label} tabIndex={scrolls ? 0 : undefined}>
        {children}
      </section>
    </div>
  );
}
