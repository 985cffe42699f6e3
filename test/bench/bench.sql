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

-- The best times of two queries run in turn (a, b, a, b, ...), so that both
-- meet the same conditions (a checkpoint, a cache that warms).
CREATE OR REPLACE FUNCTION pg_temp.best_ms_pair(a text, b text, runs int DEFAULT 3) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  best_a float8 := 'infinity';
  best_b float8 := 'infinity';
  t0 timestamptz;
BEGIN
  FOR i IN 1 .. runs LOOP
    t0 := clock_timestamp();
    EXECUTE a;
    best_a := least(best_a, extract(epoch FROM clock_timestamp() - t0) * 1000);
    t0 := clock_timestamp();
    EXECUTE b;
    best_b := least(best_b, extract(epoch FROM clock_timestamp() - t0) * 1000);
  END LOOP;
  RETURN round(best_a::numeric, 1) || ' ' || round(best_b::numeric, 1);
END $$;
