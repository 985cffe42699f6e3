-- A member's side of scripts/bench_consortium.sh: when each block arrives
-- (a trigger on brop.block, ALWAYS: the rows come from the apply worker)
-- and when this node's witness cosigns it (brop.cosignature, made by the
-- sealing worker).
CREATE SCHEMA bench_c;
CREATE TABLE bench_c.block_arrival (tree_size bigint PRIMARY KEY, at timestamptz);
CREATE FUNCTION bench_c.block_arrived() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO bench_c.block_arrival VALUES (NEW.tree_size, clock_timestamp()) ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER bench_arrival AFTER INSERT ON brop.block FOR EACH ROW EXECUTE FUNCTION bench_c.block_arrived();
ALTER TABLE brop.block ENABLE ALWAYS TRIGGER bench_arrival;
CREATE TABLE bench_c.cosigned (tree_size bigint PRIMARY KEY, at timestamptz);
CREATE FUNCTION bench_c.cosigned() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO bench_c.cosigned VALUES (NEW.tree_size, clock_timestamp()) ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER bench_cosigned AFTER INSERT ON brop.cosignature FOR EACH ROW EXECUTE FUNCTION bench_c.cosigned();
