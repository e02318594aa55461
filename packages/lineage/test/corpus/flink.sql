-- @case flink-000 placeholder
-- @in a.b
-- @out c.d
INSERT INTO c.d SELECT x FROM a.b;
