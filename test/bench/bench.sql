-- Helpers for the benchmarks: run a query several times, keep the best time.
CREATE OR REPLACE FUNCTION pg_temp.best_ms(q text, runs int DEFAULT 3) RETURNS float8
LANGUAGE plpgsql AS $$
DECLARE
  best float8 := 'infinity';
  t0 timestamptz;
  ms float8;
BEGIN
  FOR i IN 1 .. runs LOOP
    t0 := clock_timestamp();
    EXECUTE q;
    ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
    best := least(best, ms);
  END LOOP;
  RETURN best;
END $$;

