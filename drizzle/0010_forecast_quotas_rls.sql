-- forecast_quotas, like every Ethcast table, is shut out of Supabase's Data API by row-level security
-- with no policy (see 0006_supabase_row_level_security.sql); nothing happens without Supabase's roles.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon')
     AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN
    ALTER TABLE public.forecast_quotas ENABLE ROW LEVEL SECURITY;
  END IF;
END $$;
