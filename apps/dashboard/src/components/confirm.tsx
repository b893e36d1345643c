import { useEffect, useId, useRef, useState } from 'react';
import { useI18n } from '../i18n.tsx';
import { errorMessage } from './ui.tsx';

type ConfirmProps = {
  open: boolean;
  title: string;
  message: string;
  confirmLabel: string;
  busy?: boolean;
  error?: unknown;
  onConfirm(): void;
  onCancel(): void;
};

/** A modal confirmation on the native <dialog>: focus is trapped and Escape cancels. */
export function ConfirmDialog({
  open,
  title,
  message,
  confirmLabel,
  busy,
  error,
  onConfirm,
  onCancel,
}: ConfirmProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const { t } = useI18n();
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <p>{message}</p>
      {error ? (
        <p className="form-error" role="alert">
          {errorMessage(error, t)}
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" className="button secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="button" className="button danger" onClick={onConfirm} disabled={busy}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

/**
 * The row a list's confirmation is open for: `ask` opens it for a row (clearing the last attempt's
 * error), `close` closes it.
 */
export function useDeletion<Row>() {
  const [row, setRow] = useState<Row | null>(null);
  return {
    row,
    ask(next: Row, mutation: { reset(): void }) {
      mutation.reset();
      setRow(next);
    },
    close: () => setRow(null),
  };
}

/** A row's Delete button, which asks first (see ConfirmDelete). */
export function DeleteButton({ label, onClick }: { label: string; onClick(): void }) {
  const { t } = useI18n();
  return (
    <button type="button" className="button danger small" aria-label={label} onClick={onClick}>
      {t('common.delete')}
    </button>
  );
}

/** The confirmation before `mutation` deletes `row`; closed while `row` is null. */
export function ConfirmDelete<Row extends { id: number }>({
  row,
  texts,
  mutation,
  onCancel,
}: {
  row: Row | null;
  texts(row: Row): { title: string; message: string };
  mutation: { mutate(input: { id: number }): void; isPending: boolean; error: unknown };
  onCancel(): void;
}) {
  const { t } = useI18n();
  const text = row ? texts(row) : { title: '', message: '' };
  return (
    <ConfirmDialog
      open={row !== null}
      title={text.title}
      message={text.message}
      confirmLabel={t('common.delete')}
      busy={mutation.isPending}
      error={mutation.error}
      onCancel={onCancel}
      onConfirm={() => row && mutation.mutate({ id: row.id })}
    />
  );
}
