-- Custom SQL migration file, put your code below! --
-- `price_symbols` (0007) kept in step with `prices` by statement-level triggers with transition tables:
-- every write path (COPY and upsert of imports, sync, bootstrap, a delete by hand) updates it in its own
-- transaction, so a rolled-back import leaves it as it was. Symbols are written in symbol order, so two
-- writers meet the summary rows in the same order. Then the rows already stored are summarised once.
CREATE FUNCTION price_symbols_add_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO price_symbols AS s (symbol, first_day, last_day, rows)
    SELECT symbol, min(day), max(day), count(*)::int FROM new_rows GROUP BY symbol ORDER BY symbol
  ON CONFLICT (symbol) DO UPDATE SET
    first_day = least(s.first_day, excluded.first_day),
    last_day = greatest(s.last_day, excluded.last_day),
    rows = s.rows + excluded.rows;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION price_symbols_remove_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- first and last day again from the primary key (two index probes per symbol touched)
  UPDATE price_symbols s SET
    rows = s.rows - o.n,
    first_day = coalesce((SELECT min(p.day) FROM prices p WHERE p.symbol = s.symbol), s.first_day),
    last_day = coalesce((SELECT max(p.day) FROM prices p WHERE p.symbol = s.symbol), s.last_day)
  FROM (SELECT symbol, count(*)::int AS n FROM old_rows GROUP BY symbol) o
  WHERE s.symbol = o.symbol;
  DELETE FROM price_symbols WHERE rows <= 0 AND symbol IN (SELECT symbol FROM old_rows);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION price_symbols_move_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Updates of values (every upsert) change no summary; only a changed symbol or day does.
  IF NOT EXISTS (SELECT symbol, day FROM old_rows EXCEPT ALL SELECT symbol, day FROM new_rows) THEN
    RETURN NULL;
  END IF;
  UPDATE price_symbols s SET rows = s.rows - o.n
  FROM (SELECT symbol, count(*)::int AS n FROM old_rows GROUP BY symbol) o
  WHERE s.symbol = o.symbol;
  INSERT INTO price_symbols AS s (symbol, first_day, last_day, rows)
    SELECT symbol, min(day), max(day), count(*)::int FROM new_rows GROUP BY symbol ORDER BY symbol
  ON CONFLICT (symbol) DO UPDATE SET rows = s.rows + excluded.rows;
  DELETE FROM price_symbols WHERE rows <= 0;
  UPDATE price_symbols s SET
    first_day = (SELECT min(p.day) FROM prices p WHERE p.symbol = s.symbol),
    last_day = (SELECT max(p.day) FROM prices p WHERE p.symbol = s.symbol)
  WHERE s.symbol IN (SELECT symbol FROM old_rows UNION SELECT symbol FROM new_rows);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION price_symbols_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM price_symbols;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER price_symbols_after_insert AFTER INSERT ON prices
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION price_symbols_add_rows();
--> statement-breakpoint
CREATE TRIGGER price_symbols_after_delete AFTER DELETE ON prices
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION price_symbols_remove_rows();
--> statement-breakpoint
CREATE TRIGGER price_symbols_after_update AFTER UPDATE ON prices
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION price_symbols_move_rows();
--> statement-breakpoint
CREATE TRIGGER price_symbols_after_truncate AFTER TRUNCATE ON prices
  FOR EACH STATEMENT EXECUTE FUNCTION price_symbols_clear();
--> statement-breakpoint
INSERT INTO price_symbols (symbol, first_day, last_day, rows)
  SELECT symbol, min(day), max(day), count(*)::int FROM prices GROUP BY symbol ORDER BY symbol;
--> statement-breakpoint
-- Supabase: the same row-level security as every Ethcast table (see 0006).
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon')
     AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN
    ALTER TABLE public.price_symbols ENABLE ROW LEVEL SECURITY;
  END IF;
END $$;
