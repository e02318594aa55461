-- Golden corpus: Flink SQL streaming jobs (Dinky), Kafka/CDC sources to Doris/Kafka sinks.

-- @case flink-001 Kafka source DDL, Doris sink DDL and INSERT
-- @in kafka_orders
-- @out doris_orders
-- @col doris_orders.order_id <- kafka_orders.order_id
-- @col doris_orders.user_id <- kafka_orders.user_id
-- @col doris_orders.amount <- kafka_orders.amount
-- @col doris_orders.order_time <- kafka_orders.ts
CREATE TABLE kafka_orders (
  order_id BIGINT,
  user_id BIGINT,
  amount DECIMAL(10, 2),
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH (
  'connector' = 'kafka',
  'topic' = 'ods_orders',
  'properties.bootstrap.servers' = 'kafka:9092',
  'properties.group.id' = 'dp_orders',
  'scan.startup.mode' = 'latest-offset',
  'format' = 'json'
);
CREATE TABLE doris_orders (
  order_id BIGINT,
  user_id BIGINT,
  amount DECIMAL(10, 2),
  order_time TIMESTAMP(3)
) WITH (
  'connector' = 'doris',
  'fenodes' = 'doris-fe:8030',
  'table.identifier' = 'dwd.dwd_trade_order_rt',
  'username' = 'etl',
  'password' = '${doris_password}',
  'sink.label-prefix' = 'dp_orders'
);
INSERT INTO doris_orders SELECT order_id, user_id, amount, ts FROM kafka_orders WHERE amount > 0;

-- @case flink-002 Tumbling window TVF aggregation
-- @in kafka_orders
-- @out doris_minute_gmv
-- @col doris_minute_gmv.window_start <- kafka_orders.ts
-- @col doris_minute_gmv.window_end <- kafka_orders.ts
-- @col doris_minute_gmv.gmv <- kafka_orders.amount
-- @col doris_minute_gmv.orders <-
INSERT INTO doris_minute_gmv
SELECT window_start, window_end, SUM(amount) AS gmv, COUNT(*) AS orders
FROM TABLE(TUMBLE(TABLE kafka_orders, DESCRIPTOR(ts), INTERVAL '1' MINUTES))
GROUP BY window_start, window_end;

-- @case flink-003 Hopping window TVF with key
-- @in kafka_clicks
-- @out kafka_hot_pages
-- @col kafka_hot_pages.page_id <- kafka_clicks.page_id
-- @col kafka_hot_pages.window_end <- kafka_clicks.click_time
-- @col kafka_hot_pages.clicks <-
INSERT INTO kafka_hot_pages
SELECT page_id, window_end, COUNT(*) AS clicks
FROM TABLE(HOP(TABLE kafka_clicks, DESCRIPTOR(click_time), INTERVAL '1' MINUTE, INTERVAL '10' MINUTE))
GROUP BY page_id, window_start, window_end;

-- @case flink-004 Cumulate window TVF with named arguments
-- @in kafka_orders
-- @out doris_day_cumulative
INSERT INTO doris_day_cumulative
SELECT window_start, window_end, SUM(amount)
FROM TABLE(CUMULATE(TABLE kafka_orders, DESCRIPTOR(ts), INTERVAL '10' MINUTES, INTERVAL '1' DAY))
GROUP BY window_start, window_end;

-- @case flink-005 Temporal join with a versioned rate table
-- @in kafka_orders, currency_rates
-- @out doris_orders_cny
-- @col doris_orders_cny.order_id <- kafka_orders.order_id
-- @col doris_orders_cny.amount_cny <- kafka_orders.amount, currency_rates.rate
INSERT INTO doris_orders_cny
SELECT o.order_id, o.amount * r.rate AS amount_cny
FROM kafka_orders AS o
JOIN currency_rates FOR SYSTEM_TIME AS OF o.ts AS r
  ON o.currency = r.currency;

-- @case flink-006 Lookup join against a JDBC dimension with proc time
-- @in kafka_orders, mysql_dim_user
-- @out doris_orders_enriched
-- @col doris_orders_enriched.order_id <- kafka_orders.order_id
-- @col doris_orders_enriched.user_name <- mysql_dim_user.name
-- @col doris_orders_enriched.city <- mysql_dim_user.city
INSERT INTO doris_orders_enriched
SELECT o.order_id, u.name AS user_name, u.city
FROM kafka_orders AS o
LEFT JOIN mysql_dim_user FOR SYSTEM_TIME AS OF o.proc_time AS u
  ON o.user_id = u.id;

-- @case flink-007 EXECUTE STATEMENT SET with two sinks
-- @in kafka_orders
-- @out doris_orders, kafka_big_orders
EXECUTE STATEMENT SET
BEGIN
  INSERT INTO doris_orders SELECT order_id, user_id, amount, ts FROM kafka_orders;
  INSERT INTO kafka_big_orders SELECT order_id, amount FROM kafka_orders WHERE amount > 1000;
END;

-- @case flink-008 Older BEGIN STATEMENT SET syntax
-- @in kafka_clicks
-- @out print_clicks, doris_clicks
BEGIN STATEMENT SET;
INSERT INTO print_clicks SELECT * FROM kafka_clicks;
INSERT INTO doris_clicks SELECT page_id, user_id, click_time FROM kafka_clicks;
END;

-- @case flink-009 SET options then job
-- @in kafka_orders
-- @out doris_orders
SET 'execution.checkpointing.interval' = '60s';
SET 'pipeline.name' = 'orders_to_doris';
SET 'table.exec.state.ttl' = '1 d';
INSERT INTO doris_orders SELECT order_id, user_id, amount, ts FROM kafka_orders;

-- @case flink-010 ADD JAR and a UDF
-- @in kafka_logs
-- @out doris_logs
ADD JAR '/opt/flink/udf/dp-udf.jar';
CREATE TEMPORARY FUNCTION parse_ua AS 'com.dp.udf.ParseUserAgent';
INSERT INTO doris_logs SELECT log_id, parse_ua(ua) AS device FROM kafka_logs;

-- @case flink-011 Temporary view then insert (view is not a table)
-- @in kafka_orders
-- @out doris_paid_orders
-- @col doris_paid_orders.order_id <- kafka_orders.order_id
-- @col doris_paid_orders.amount <- kafka_orders.amount
CREATE TEMPORARY VIEW paid_orders AS
SELECT order_id, amount FROM kafka_orders WHERE status = 'PAID';
INSERT INTO doris_paid_orders SELECT order_id, amount FROM paid_orders;

-- @case flink-012 Views built on views
-- @in kafka_orders, kafka_payments
-- @out doris_order_pay
CREATE VIEW o AS SELECT order_id, user_id, amount FROM kafka_orders;
CREATE VIEW p AS SELECT order_id, pay_amount FROM kafka_payments;
CREATE VIEW op AS SELECT o.order_id, o.amount, p.pay_amount FROM o JOIN p ON o.order_id = p.order_id;
INSERT INTO doris_order_pay SELECT order_id, amount, pay_amount FROM op;

-- @case flink-013 MySQL CDC source to Doris upsert
-- @in mysql_cdc_users
-- @out doris_dim_user
-- @col doris_dim_user.id <- mysql_cdc_users.id
-- @col doris_dim_user.name <- mysql_cdc_users.name
-- @col doris_dim_user.city <- mysql_cdc_users.city
CREATE TABLE mysql_cdc_users (
  id BIGINT,
  name STRING,
  city STRING,
  PRIMARY KEY (id) NOT ENFORCED
) WITH (
  'connector' = 'mysql-cdc',
  'hostname' = 'mysql',
  'port' = '3306',
  'username' = 'cdc',
  'password' = 'secret',
  'database-name' = 'crm',
  'table-name' = 'users'
);
CREATE TABLE doris_dim_user (
  id BIGINT, name STRING, city STRING, PRIMARY KEY (id) NOT ENFORCED
) WITH ('connector' = 'doris', 'table.identifier' = 'dim.dim_user', 'fenodes' = 'fe:8030');
INSERT INTO doris_dim_user SELECT id, name, city FROM mysql_cdc_users;

-- @case flink-014 Catalog-qualified names with backticks
-- @in default_catalog.default_database.kafka_orders
-- @out default_catalog.default_database.doris_orders
INSERT INTO `default_catalog`.`default_database`.`doris_orders`
SELECT `order_id`, `user_id`, `amount`, `ts` FROM `default_catalog`.`default_database`.`kafka_orders`;

-- @case flink-015 Deduplication with ROW_NUMBER
-- @in kafka_user_events
-- @out doris_user_latest
-- @col doris_user_latest.user_id <- kafka_user_events.user_id
-- @col doris_user_latest.event <- kafka_user_events.event
-- @col doris_user_latest.ts <- kafka_user_events.ts
INSERT INTO doris_user_latest
SELECT user_id, event, ts FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY ts DESC) AS rn
  FROM kafka_user_events
) WHERE rn = 1;

-- @case flink-016 Interval join between two streams
-- @in kafka_orders, kafka_shipments
-- @out doris_order_ship
-- @col doris_order_ship.order_id <- kafka_orders.order_id
-- @col doris_order_ship.ship_time <- kafka_shipments.ship_ts
INSERT INTO doris_order_ship
SELECT o.order_id, s.ship_ts AS ship_time
FROM kafka_orders o, kafka_shipments s
WHERE o.order_id = s.order_id
  AND s.ship_ts BETWEEN o.ts AND o.ts + INTERVAL '4' HOUR;

-- @case flink-017 Group aggregation to an upsert Kafka sink
-- @in kafka_orders
-- @out upsert_kafka_user_gmv
-- @col upsert_kafka_user_gmv.user_id <- kafka_orders.user_id
-- @col upsert_kafka_user_gmv.gmv <- kafka_orders.amount
INSERT INTO upsert_kafka_user_gmv
SELECT user_id, SUM(amount) AS gmv FROM kafka_orders GROUP BY user_id;

-- @case flink-018 UNION ALL of two topics
-- @in kafka_app_events, kafka_web_events
-- @out doris_events
-- @col doris_events.user_id <- kafka_app_events.uid, kafka_web_events.user_id
-- @col doris_events.event <- kafka_app_events.event_name, kafka_web_events.action
-- @col doris_events.source <-
INSERT INTO doris_events
SELECT uid AS user_id, event_name AS event, 'app' AS source FROM kafka_app_events
UNION ALL
SELECT user_id, action AS event, 'web' AS source FROM kafka_web_events;

-- @case flink-019 JSON_VALUE extraction from a raw topic
-- @in kafka_raw
-- @out doris_parsed
-- @col doris_parsed.id <- kafka_raw.payload
-- @col doris_parsed.amount <- kafka_raw.payload
INSERT INTO doris_parsed
SELECT CAST(JSON_VALUE(payload, '$.id') AS BIGINT) AS id,
       CAST(JSON_VALUE(payload, '$.amount') AS DECIMAL(10, 2)) AS amount
FROM kafka_raw;

-- @case flink-020 CTE in Flink INSERT
-- @in kafka_orders
-- @out doris_city_gmv
INSERT INTO doris_city_gmv
WITH o AS (SELECT city, amount FROM kafka_orders WHERE amount > 0)
SELECT city, SUM(amount) FROM o GROUP BY city;

-- @case flink-021 Window TVF over a view
-- @in kafka_orders
-- @out doris_minute_paid
-- @col doris_minute_paid.window_start <- kafka_orders.ts
-- @col doris_minute_paid.paid <- kafka_orders.amount
CREATE TEMPORARY VIEW paid AS SELECT order_id, amount, ts FROM kafka_orders WHERE status = 'PAID';
INSERT INTO doris_minute_paid
SELECT window_start, SUM(amount) AS paid
FROM TABLE(TUMBLE(TABLE paid, DESCRIPTOR(ts), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end;

-- @case flink-022 Statement set mixing a window and a plain insert, with views
-- @in kafka_clicks
-- @out doris_clicks, doris_click_minute
CREATE TEMPORARY VIEW valid_clicks AS SELECT * FROM kafka_clicks WHERE user_id IS NOT NULL;
EXECUTE STATEMENT SET BEGIN
INSERT INTO doris_clicks SELECT page_id, user_id, click_time FROM valid_clicks;
INSERT INTO doris_click_minute
SELECT window_start, page_id, COUNT(*) FROM TABLE(TUMBLE(TABLE valid_clicks, DESCRIPTOR(click_time), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, page_id;
END;

-- @case flink-023 Filesystem sink with partitions
-- @in kafka_logs
-- @out fs_logs
INSERT INTO fs_logs PARTITION (dt = '2024-01-01')
SELECT log_id, msg FROM kafka_logs;

-- @case flink-024 INSERT OVERWRITE in batch mode
-- @in hive_catalog.dwd.dwd_orders
-- @out hive_catalog.dws.dws_orders_1d
SET 'execution.runtime-mode' = 'batch';
INSERT OVERWRITE hive_catalog.dws.dws_orders_1d
SELECT user_id, SUM(amount) FROM hive_catalog.dwd.dwd_orders WHERE dt = '${bizdate}' GROUP BY user_id;

-- @case flink-025 USE CATALOG and USE database
-- @in ods.kafka_orders
-- @out dwd.doris_orders
USE CATALOG rt_catalog;
USE ods;
INSERT INTO dwd.doris_orders SELECT order_id, user_id, amount, ts FROM kafka_orders;

-- @case flink-026 CASE WHEN derived status
-- @in kafka_orders
-- @out doris_order_status
-- @col doris_order_status.order_id <- kafka_orders.order_id
-- @col doris_order_status.status_name <- kafka_orders.status
INSERT INTO doris_order_status
SELECT order_id,
       CASE status WHEN 1 THEN 'created' WHEN 2 THEN 'paid' ELSE 'other' END AS status_name
FROM kafka_orders;

-- @case flink-027 Session window TVF
-- @in kafka_clicks
-- @out doris_sessions
INSERT INTO doris_sessions
SELECT user_id, window_start, window_end, COUNT(*) AS clicks
FROM TABLE(SESSION(TABLE kafka_clicks PARTITION BY user_id, DESCRIPTOR(click_time), INTERVAL '30' MINUTES))
GROUP BY user_id, window_start, window_end;

-- @case flink-028 Regular join of two CDC tables
-- @in mysql_cdc_orders, mysql_cdc_users
-- @out doris_order_wide
-- @col doris_order_wide.order_id <- mysql_cdc_orders.id
-- @col doris_order_wide.user_name <- mysql_cdc_users.name
-- @col doris_order_wide.amount <- mysql_cdc_orders.amount
INSERT INTO doris_order_wide
SELECT o.id AS order_id, u.name AS user_name, o.amount
FROM mysql_cdc_orders o
LEFT JOIN mysql_cdc_users u ON o.user_id = u.id;

-- @case flink-029 Group window legacy TUMBLE function
-- @in kafka_orders
-- @out doris_minute_legacy
INSERT INTO doris_minute_legacy
SELECT TUMBLE_START(ts, INTERVAL '1' MINUTE) AS ws, SUM(amount)
FROM kafka_orders
GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE);

-- @case flink-030 Top-N per key
-- @in kafka_orders
-- @out doris_top_users
INSERT INTO doris_top_users
SELECT city, user_id, gmv FROM (
  SELECT city, user_id, gmv, ROW_NUMBER() OVER (PARTITION BY city ORDER BY gmv DESC) AS rk
  FROM (SELECT city, user_id, SUM(amount) AS gmv FROM kafka_orders GROUP BY city, user_id)
) WHERE rk <= 10;

-- @case flink-031 Print sink DDL and insert
-- @in kafka_orders
-- @out print_sink
CREATE TABLE print_sink (order_id BIGINT, amount DECIMAL(10, 2)) WITH ('connector' = 'print');
INSERT INTO print_sink SELECT order_id, amount FROM kafka_orders;

-- @case flink-032 Datagen source for testing
-- @in gen_orders
-- @out blackhole_sink
CREATE TABLE gen_orders (order_id BIGINT, amount DOUBLE) WITH ('connector' = 'datagen', 'rows-per-second' = '10');
CREATE TABLE blackhole_sink WITH ('connector' = 'blackhole') LIKE gen_orders (EXCLUDING ALL);
INSERT INTO blackhole_sink SELECT * FROM gen_orders;

-- @case flink-033 COALESCE and IF functions
-- @in kafka_users
-- @out doris_users_clean
-- @col doris_users_clean.user_id <- kafka_users.id
-- @col doris_users_clean.nick <- kafka_users.nickname, kafka_users.name
INSERT INTO doris_users_clean
SELECT id AS user_id, COALESCE(nickname, name) AS nick FROM kafka_users;

-- @case flink-034 Temporal join with processing-time function
-- @in kafka_orders, hbase_dim_sku
-- @out doris_order_sku
INSERT INTO doris_order_sku
SELECT o.order_id, s.sku_name
FROM kafka_orders AS o
JOIN hbase_dim_sku FOR SYSTEM_TIME AS OF PROCTIME() AS s
  ON o.sku_id = s.rowkey;

-- @case flink-035 Upsert-kafka source aggregated
-- @in upsert_kafka_user_gmv
-- @out doris_gmv_total
INSERT INTO doris_gmv_total SELECT SUM(gmv) AS total FROM upsert_kafka_user_gmv;

-- @case flink-036 Full pipeline script: three DDLs, view, statement set
-- @in kafka_pay
-- @out doris_pay_detail, doris_pay_minute
CREATE TABLE kafka_pay (
  pay_id BIGINT, order_id BIGINT, pay_amount DECIMAL(10, 2), pay_ts TIMESTAMP(3),
  WATERMARK FOR pay_ts AS pay_ts - INTERVAL '3' SECOND
) WITH ('connector' = 'kafka', 'topic' = 'ods_payment', 'properties.bootstrap.servers' = 'k:9092', 'format' = 'json');
CREATE TABLE doris_pay_detail (pay_id BIGINT, order_id BIGINT, pay_amount DECIMAL(10, 2))
WITH ('connector' = 'doris', 'table.identifier' = 'dwd.dwd_trade_pay_rt');
CREATE TABLE doris_pay_minute (window_start TIMESTAMP(3), pay_amount DECIMAL(18, 2))
WITH ('connector' = 'doris', 'table.identifier' = 'dws.dws_trade_pay_1m');
CREATE TEMPORARY VIEW ok_pay AS SELECT * FROM kafka_pay WHERE pay_amount > 0;
EXECUTE STATEMENT SET BEGIN
  INSERT INTO doris_pay_detail SELECT pay_id, order_id, pay_amount FROM ok_pay;
  INSERT INTO doris_pay_minute
  SELECT window_start, SUM(pay_amount) FROM TABLE(TUMBLE(TABLE ok_pay, DESCRIPTOR(pay_ts), INTERVAL '1' MINUTE))
  GROUP BY window_start, window_end;
END;

-- @case flink-037 IN subquery filter in streaming
-- @in kafka_orders, mysql_dim_whitelist
-- @out doris_whitelist_orders
INSERT INTO doris_whitelist_orders
SELECT order_id, amount FROM kafka_orders WHERE user_id IN (SELECT user_id FROM mysql_dim_whitelist);

-- @case flink-038 DISTINCT aggregation
-- @in kafka_clicks
-- @out doris_page_uv
-- @col doris_page_uv.page_id <- kafka_clicks.page_id
-- @col doris_page_uv.uv <- kafka_clicks.user_id
INSERT INTO doris_page_uv
SELECT page_id, COUNT(DISTINCT user_id) AS uv FROM kafka_clicks GROUP BY page_id;

-- @case flink-039 Columns list on INSERT
-- @in kafka_orders
-- @out doris_orders_partial
-- @col doris_orders_partial.id <- kafka_orders.order_id
-- @col doris_orders_partial.amt <- kafka_orders.amount
INSERT INTO doris_orders_partial (id, amt) SELECT order_id, amount FROM kafka_orders;

-- @case flink-040 Variables from the scheduler in options and filters
-- @in kafka_orders
-- @out doris_orders_day
INSERT INTO doris_orders_day
SELECT order_id, amount FROM kafka_orders WHERE DATE_FORMAT(ts, 'yyyyMMdd') = '${bizdate}';

-- @case flink-041 Create view with column list
-- @in kafka_orders
-- @out doris_v_out
CREATE VIEW v_orders (id, amt) AS SELECT order_id, amount FROM kafka_orders;
INSERT INTO doris_v_out SELECT id, amt FROM v_orders;

-- @case flink-042 Statement set without semicolon before END
-- @in kafka_a, kafka_b
-- @out sink_a, sink_b
EXECUTE STATEMENT SET BEGIN
INSERT INTO sink_a SELECT * FROM kafka_a;
INSERT INTO sink_b SELECT * FROM kafka_b
END;

-- @case flink-043 OVER window aggregation
-- @in kafka_orders
-- @out doris_running_total
-- @col doris_running_total.order_id <- kafka_orders.order_id
-- @col doris_running_total.running_amount <- kafka_orders.amount, kafka_orders.user_id, kafka_orders.ts
INSERT INTO doris_running_total
SELECT order_id,
       SUM(amount) OVER (PARTITION BY user_id ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running_amount
FROM kafka_orders;

-- @case flink-044 Comments and hints
-- @in kafka_orders
-- @out doris_orders
-- load orders to doris
INSERT INTO doris_orders /*+ OPTIONS('sink.parallelism' = '4') */
SELECT order_id, user_id, amount, ts
FROM kafka_orders /*+ OPTIONS('scan.startup.mode' = 'earliest-offset') */;

-- @case flink-045 Join of three streams with aliases
-- @in kafka_orders, kafka_payments, kafka_shipments
-- @out doris_fulfilment
INSERT INTO doris_fulfilment
SELECT o.order_id, p.pay_ts, s.ship_ts
FROM kafka_orders o
JOIN kafka_payments p ON o.order_id = p.order_id
JOIN kafka_shipments s ON o.order_id = s.order_id;

-- @case flink-046 Cast and date functions
-- @in kafka_logs
-- @out doris_log_hourly
INSERT INTO doris_log_hourly
SELECT DATE_FORMAT(CAST(ts AS TIMESTAMP(3)), 'yyyy-MM-dd HH') AS hr, COUNT(*) AS cnt
FROM kafka_logs
GROUP BY DATE_FORMAT(CAST(ts AS TIMESTAMP(3)), 'yyyy-MM-dd HH');

-- @case flink-047 Doris sink DDL with PRIMARY KEY and many options only
-- @in
-- @out
CREATE TABLE IF NOT EXISTS doris_dws_user (
  user_id BIGINT,
  gmv DECIMAL(18, 2),
  PRIMARY KEY (user_id) NOT ENFORCED
) COMMENT 'user gmv'
WITH (
  'connector' = 'doris',
  'fenodes' = 'fe:8030',
  'table.identifier' = 'dws.dws_user_gmv',
  'sink.enable-2pc' = 'true',
  'sink.properties.format' = 'json'
);

-- @case flink-048 Window TVF joined with a dimension
-- @in kafka_orders, mysql_dim_city
-- @out doris_city_minute
INSERT INTO doris_city_minute
SELECT w.window_start, c.city_name, SUM(w.amount)
FROM TABLE(TUMBLE(TABLE kafka_orders, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) AS w
JOIN mysql_dim_city AS c ON w.city_id = c.id
GROUP BY w.window_start, w.window_end, c.city_name;

-- @case flink-049 Drop temporary view and table
-- @in kafka_orders
-- @out doris_tmp_out
CREATE TEMPORARY VIEW t AS SELECT order_id FROM kafka_orders;
INSERT INTO doris_tmp_out SELECT order_id FROM t;
DROP TEMPORARY VIEW t;

-- @case flink-050 Lookup join with an alias and filter on dimension
-- @in kafka_orders, jdbc_dim_shop
-- @out doris_shop_orders
-- @col doris_shop_orders.order_id <- kafka_orders.order_id
-- @col doris_shop_orders.shop_name <- jdbc_dim_shop.shop_name
INSERT INTO doris_shop_orders
SELECT o.order_id, s.shop_name
FROM kafka_orders AS o
JOIN jdbc_dim_shop FOR SYSTEM_TIME AS OF o.proc_time AS s
  ON o.shop_id = s.shop_id
WHERE s.status = 'open';

-- @case flink-051 CROSS JOIN UNNEST of an array column
-- @in kafka_orders_nested
-- @out doris_order_items
INSERT INTO doris_order_items
SELECT o.order_id, t.sku_id
FROM kafka_orders_nested AS o
CROSS JOIN UNNEST(o.sku_ids) AS t (sku_id);

-- @case flink-052 LATERAL TABLE UDTF
-- @in kafka_logs
-- @out doris_log_words
INSERT INTO doris_log_words
SELECT l.log_id, w.word
FROM kafka_logs AS l, LATERAL TABLE(split_words(l.msg)) AS w(word);

-- @case flink-053 MATCH_RECOGNIZE pattern detection
-- @in kafka_login_events
-- @out kafka_login_alerts
INSERT INTO kafka_login_alerts
SELECT * FROM kafka_login_events
MATCH_RECOGNIZE (
  PARTITION BY user_id ORDER BY ts
  MEASURES A.ts AS first_fail, C.ts AS last_fail
  PATTERN (A B C)
  DEFINE A AS A.result = 'fail', B AS B.result = 'fail', C AS C.result = 'fail'
) AS T;

-- @case flink-054 LEFT JOIN LATERAL subquery
-- @in kafka_orders, mysql_dim_user
-- @out doris_orders_user
INSERT INTO doris_orders_user
SELECT o.order_id, u.name
FROM kafka_orders AS o
LEFT JOIN LATERAL (SELECT name FROM mysql_dim_user WHERE mysql_dim_user.id = o.user_id) AS u ON TRUE;

-- @case flink-055 Window TVF with named arguments
-- @in kafka_clicks
-- @out doris_user_click_minute
INSERT INTO doris_user_click_minute
SELECT user_id, window_start, COUNT(*) AS clicks
FROM TABLE(TUMBLE(DATA => TABLE kafka_clicks, TIMECOL => DESCRIPTOR(click_time), SIZE => INTERVAL '1' MINUTE))
GROUP BY user_id, window_start, window_end;
