-- Supabase serves every table in `public` through its Data API (PostgREST) to the `anon` and
-- `authenticated` roles, so anyone holding the project's anon key could read users, sessions and
-- logs. Row-level security with no policy shuts them out; Ethcast's own role owns these tables and
-- bypasses it. Supabase is recognised by those two roles, which are what the exposure is: without them
-- (plain PostgreSQL, PGlite) nothing reads through the Data API and this migration does nothing.
-- Only Ethcast's tables are touched (other tables in `public` keep their settings); a table added by a
-- later migration needs the same statement there (rls.test.ts fails until it has it).
DO $$
DECLARE
  ethcast_table text;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon')
     AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN
    FOREACH ethcast_table IN ARRAY ARRAY['users', 'sessions', 'logs', 'predict', 'prices', 'known_clients', 'login_attempts', 'registration_attempts', 'forecast_scores', 'job_runs', 'model_calibrations'] LOOP
      EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', ethcast_table);
    END LOOP;
  END IF;
END $$;
