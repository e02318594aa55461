-- Golden corpus: Doris SQL (ELT jobs run by DolphinScheduler over the MySQL protocol).

-- @case doris-001 Duplicate-key ODS table DDL (no lineage)
-- @in
-- @out
CREATE TABLE IF NOT EXISTS ods.ods_order_info (
  id BIGINT NOT NULL COMMENT 'order id',
  user_id BIGINT,
  total_amount DECIMAL(16, 2),
  create_time DATETIME
) ENGINE = OLAP
DUPLICATE KEY(id)
COMMENT 'orders'
PARTITION BY RANGE(create_time) ()
DISTRIBUTED BY HASH(id) BUCKETS 16
PROPERTIES (
  "replication_num" = "3",
  "dynamic_partition.enable" = "true",
  "dynamic_partition.time_unit" = "DAY"
);

-- @case doris-002 INSERT INTO … WITH LABEL with a column list
-- @in ods.ods_order_info
-- @out dwd.dwd_trade_order
-- @col dwd.dwd_trade_order.order_id <- ods.ods_order_info.id
-- @col dwd.dwd_trade_order.user_id <- ods.ods_order_info.user_id
-- @col dwd.dwd_trade_order.amount <- ods.ods_order_info.total_amount
-- @col dwd.dwd_trade_order.order_date <- ods.ods_order_info.create_time
INSERT INTO dwd.dwd_trade_order WITH LABEL dwd_trade_order_${bizdate} (order_id, user_id, amount, order_date)
SELECT id, user_id, total_amount, DATE(create_time)
FROM ods.ods_order_info
WHERE create_time >= '${bizdate}' AND create_time < DATE_ADD('${bizdate}', INTERVAL 1 DAY);

-- @case doris-003 CTAS with unique key, distribution and properties
-- @in dwd.dwd_trade_order
-- @out dws.dws_user_order_1d
-- @col dws.dws_user_order_1d.user_id <- dwd.dwd_trade_order.user_id
-- @col dws.dws_user_order_1d.order_date <- dwd.dwd_trade_order.order_date
-- @col dws.dws_user_order_1d.order_cnt <-
-- @col dws.dws_user_order_1d.order_amount <- dwd.dwd_trade_order.amount
CREATE TABLE dws.dws_user_order_1d
UNIQUE KEY(user_id, order_date)
DISTRIBUTED BY HASH(user_id) BUCKETS 8
PROPERTIES ("replication_num" = "1")
AS
SELECT user_id, order_date, COUNT(*) AS order_cnt, SUM(amount) AS order_amount
FROM dwd.dwd_trade_order
GROUP BY user_id, order_date;

-- @case doris-004 INSERT OVERWRITE TABLE with partition
-- @in dwd.dwd_trade_order, dim.dim_shop
-- @out dws.dws_shop_sales_1d
-- @col dws.dws_shop_sales_1d.shop_id <- dwd.dwd_trade_order.shop_id
-- @col dws.dws_shop_sales_1d.shop_name <- dim.dim_shop.shop_name
-- @col dws.dws_shop_sales_1d.sales <- dwd.dwd_trade_order.amount
INSERT OVERWRITE TABLE dws.dws_shop_sales_1d PARTITION (p${bizdate})
SELECT o.shop_id, s.shop_name, SUM(o.amount) AS sales
FROM dwd.dwd_trade_order o
JOIN dim.dim_shop s ON o.shop_id = s.shop_id
WHERE o.order_date = '${bizdate}'
GROUP BY o.shop_id, s.shop_name;

-- @case doris-005 Aggregate-key table DDL then load
-- @in dwd.dwd_traffic_pv
-- @out dws.dws_page_pv_agg
CREATE TABLE IF NOT EXISTS dws.dws_page_pv_agg (
  dt DATE,
  page_id BIGINT,
  pv BIGINT SUM DEFAULT "0",
  uv BITMAP BITMAP_UNION
) AGGREGATE KEY(dt, page_id)
DISTRIBUTED BY HASH(page_id) BUCKETS AUTO
PROPERTIES ("replication_allocation" = "tag.location.default: 3");
INSERT INTO dws.dws_page_pv_agg
SELECT dt, page_id, 1, to_bitmap(user_id) FROM dwd.dwd_traffic_pv WHERE dt = '${bizdate}';

-- @case doris-006 Upsert a dimension via unique key model
-- @in ods.ods_user_info
-- @out dim.dim_user
-- @col dim.dim_user.user_id <- ods.ods_user_info.id
-- @col dim.dim_user.user_name <- ods.ods_user_info.name
-- @col dim.dim_user.phone <- ods.ods_user_info.phone_num
-- @col dim.dim_user.update_time <- ods.ods_user_info.update_time
INSERT INTO dim.dim_user (user_id, user_name, phone, update_time)
SELECT id, name, phone_num, update_time
FROM ods.ods_user_info
WHERE update_time >= DATE_SUB(NOW(), INTERVAL 1 DAY);

-- @case doris-007 CTE in INSERT … SELECT
-- @in dwd.dwd_trade_order, dwd.dwd_trade_refund
-- @out ads.ads_shop_net_sales
-- @col ads.ads_shop_net_sales.shop_id <- dwd.dwd_trade_order.shop_id
-- @col ads.ads_shop_net_sales.net_sales <- dwd.dwd_trade_order.amount, dwd.dwd_trade_refund.refund_amount
INSERT INTO ads.ads_shop_net_sales
WITH s AS (
  SELECT shop_id, SUM(amount) AS sales FROM dwd.dwd_trade_order WHERE order_date = '${bizdate}' GROUP BY shop_id
), r AS (
  SELECT shop_id, SUM(refund_amount) AS refunds FROM dwd.dwd_trade_refund WHERE refund_date = '${bizdate}' GROUP BY shop_id
)
SELECT s.shop_id, s.sales - COALESCE(r.refunds, 0) AS net_sales
FROM s LEFT JOIN r ON s.shop_id = r.shop_id;

-- @case doris-008 Multi-statement with SET and USE
-- @in dwd.dwd_trade_order
-- @out ads.ads_daily_gmv
SET query_timeout = 3600;
SET enable_insert_strict = true;
USE ads;
INSERT INTO ads_daily_gmv SELECT order_date, SUM(amount) FROM dwd.dwd_trade_order GROUP BY order_date;

-- @case doris-009 Doris DELETE with predicate
-- @in
-- @out dws.dws_user_order_1d
DELETE FROM dws.dws_user_order_1d PARTITION p20240101 WHERE order_date = '${bizdate}';

-- @case doris-010 Doris UPDATE on a unique-key table from another table
-- @in dwd.dwd_trade_payment
-- @out dwd.dwd_trade_order
UPDATE dwd.dwd_trade_order
SET pay_status = 1
FROM dwd.dwd_trade_payment p
WHERE dwd.dwd_trade_order.order_id = p.order_id AND p.pay_date = '${bizdate}';

-- @case doris-011 Truncate and reload an ADS table
-- @in dws.dws_shop_sales_1d
-- @out ads.ads_shop_rank
TRUNCATE TABLE ads.ads_shop_rank;
INSERT INTO ads.ads_shop_rank
SELECT shop_id, sales, RANK() OVER (ORDER BY sales DESC) AS rk
FROM dws.dws_shop_sales_1d WHERE dt = '${bizdate}';

-- @case doris-012 Window function with partition
-- @in dwd.dwd_trade_order
-- @out dws.dws_user_last_order
-- @col dws.dws_user_last_order.user_id <- dwd.dwd_trade_order.user_id
-- @col dws.dws_user_last_order.order_id <- dwd.dwd_trade_order.order_id
-- @col dws.dws_user_last_order.amount <- dwd.dwd_trade_order.amount
INSERT INTO dws.dws_user_last_order
SELECT user_id, order_id, amount
FROM (
  SELECT user_id, order_id, amount,
         ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY order_time DESC) AS rn
  FROM dwd.dwd_trade_order
) t WHERE rn = 1;

-- @case doris-013 Catalog-qualified external table (Hive catalog)
-- @in hive_catalog.ods.ods_log, dim.dim_page
-- @out dwd.dwd_traffic_pv
INSERT INTO dwd.dwd_traffic_pv
SELECT l.dt, l.page_id, l.user_id, p.page_name
FROM hive_catalog.ods.ods_log l
LEFT JOIN dim.dim_page p ON l.page_id = p.page_id
WHERE l.dt = '${bizdate}';

-- @case doris-014 Insert from a JDBC catalog MySQL table
-- @in mysql_crm.crm.customer
-- @out ods.ods_crm_customer
INSERT OVERWRITE TABLE ods.ods_crm_customer
SELECT id, name, level, created_at FROM mysql_crm.crm.customer;

-- @case doris-015 CTAS with LIKE-free column definitions and comment
-- @in ods.ods_sku_info
-- @out dim.dim_sku
-- @col dim.dim_sku.sku_id <- ods.ods_sku_info.id
-- @col dim.dim_sku.sku_name <- ods.ods_sku_info.sku_name
-- @col dim.dim_sku.price <- ods.ods_sku_info.price
CREATE TABLE IF NOT EXISTS dim.dim_sku (sku_id, sku_name, price)
DUPLICATE KEY(sku_id)
COMMENT 'sku dimension'
DISTRIBUTED BY HASH(sku_id) BUCKETS 4
PROPERTIES ("replication_num" = "1")
AS SELECT id, sku_name, price FROM ods.ods_sku_info;

-- @case doris-016 Bitmap UV aggregation
-- @in dwd.dwd_traffic_pv
-- @out ads.ads_page_uv
INSERT INTO ads.ads_page_uv
SELECT dt, page_id, BITMAP_UNION_COUNT(to_bitmap(user_id)) AS uv
FROM dwd.dwd_traffic_pv GROUP BY dt, page_id;

-- @case doris-017 Insert from UNION ALL
-- @in ods.ods_order_app, ods.ods_order_mini
-- @out dwd.dwd_trade_order_all
-- @col dwd.dwd_trade_order_all.order_id <- ods.ods_order_app.id, ods.ods_order_mini.order_no
-- @col dwd.dwd_trade_order_all.amount <- ods.ods_order_app.amount, ods.ods_order_mini.pay_amount
-- @col dwd.dwd_trade_order_all.source <-
INSERT INTO dwd.dwd_trade_order_all
SELECT id AS order_id, amount, 'app' AS source FROM ods.ods_order_app
UNION ALL
SELECT order_no, pay_amount, 'mini' FROM ods.ods_order_mini;

-- @case doris-018 Sync materialized view (rollup) on a table
-- @in dwd.dwd_trade_order
-- @out mv_shop_daily
CREATE MATERIALIZED VIEW mv_shop_daily AS
SELECT shop_id, order_date, SUM(amount) FROM dwd.dwd_trade_order GROUP BY shop_id, order_date;

-- @case doris-019 Async materialized view with refresh and properties
-- @in dws.dws_shop_sales_1d, dim.dim_shop
-- @out ads.mv_city_sales
CREATE MATERIALIZED VIEW ads.mv_city_sales
BUILD IMMEDIATE REFRESH AUTO ON SCHEDULE EVERY 1 HOUR
DISTRIBUTED BY HASH(city) BUCKETS 2
PROPERTIES ("replication_num" = "1")
AS SELECT d.city, SUM(s.sales) AS sales
FROM dws.dws_shop_sales_1d s JOIN dim.dim_shop d ON s.shop_id = d.shop_id
GROUP BY d.city;

-- @case doris-020 Doris ALTER and ANALYZE commands only
-- @in
-- @out
ALTER TABLE dws.dws_shop_sales_1d ADD PARTITION p20240102 VALUES LESS THAN ("2024-01-03");
ANALYZE TABLE dws.dws_shop_sales_1d WITH SYNC;

-- @case doris-021 Insert with explicit partition list and label
-- @in dwd.dwd_trade_order
-- @out dws.dws_trade_hourly
INSERT INTO dws.dws_trade_hourly PARTITION (p_${bizdate}) WITH LABEL hourly_${bizdate}_01
SELECT order_date, HOUR(order_time) AS hr, COUNT(*) FROM dwd.dwd_trade_order
WHERE order_date = '${bizdate}' GROUP BY order_date, HOUR(order_time);

-- @case doris-022 Subquery in SELECT list
-- @in dim.dim_shop, dwd.dwd_trade_order
-- @out ads.ads_shop_order_cnt
INSERT INTO ads.ads_shop_order_cnt
SELECT s.shop_id, (SELECT COUNT(*) FROM dwd.dwd_trade_order o WHERE o.shop_id = s.shop_id) AS cnt
FROM dim.dim_shop s;

-- @case doris-023 Date-partitioned delete and reinsert in one script
-- @in dwd.dwd_trade_order
-- @out dws.dws_trade_daily
DELETE FROM dws.dws_trade_daily WHERE dt = '${bizdate}';
INSERT INTO dws.dws_trade_daily SELECT order_date AS dt, COUNT(*), SUM(amount)
FROM dwd.dwd_trade_order WHERE order_date = '${bizdate}' GROUP BY order_date;

-- @case doris-024 Funnel with CASE and multiple counts
-- @in dwd.dwd_traffic_event
-- @out ads.ads_funnel
-- @col ads.ads_funnel.dt <- dwd.dwd_traffic_event.dt
-- @col ads.ads_funnel.view_uv <- dwd.dwd_traffic_event.event, dwd.dwd_traffic_event.user_id
-- @col ads.ads_funnel.cart_uv <- dwd.dwd_traffic_event.event, dwd.dwd_traffic_event.user_id
-- @col ads.ads_funnel.pay_uv <- dwd.dwd_traffic_event.event, dwd.dwd_traffic_event.user_id
INSERT INTO ads.ads_funnel
SELECT dt,
       COUNT(DISTINCT CASE WHEN event = 'view' THEN user_id END) AS view_uv,
       COUNT(DISTINCT CASE WHEN event = 'cart' THEN user_id END) AS cart_uv,
       COUNT(DISTINCT CASE WHEN event = 'pay' THEN user_id END) AS pay_uv
FROM dwd.dwd_traffic_event
WHERE dt = '${bizdate}'
GROUP BY dt;

-- @case doris-025 Backticked names and Doris label with hyphens
-- @in ods.ods_coupon
-- @out dwd.dwd_coupon
INSERT INTO `dwd`.`dwd_coupon` WITH LABEL `coupon-load-${bizdate}`
SELECT `id`, `coupon_name`, `benefit` FROM `ods`.`ods_coupon`;

-- @case doris-026 Create view in Doris
-- @in dws.dws_user_order_1d
-- @out ads.v_user_order_7d
-- @col ads.v_user_order_7d.user_id <- dws.dws_user_order_1d.user_id
-- @col ads.v_user_order_7d.amount_7d <- dws.dws_user_order_1d.order_amount
CREATE VIEW ads.v_user_order_7d AS
SELECT user_id, SUM(order_amount) AS amount_7d
FROM dws.dws_user_order_1d
WHERE order_date >= DATE_SUB(CURDATE(), INTERVAL 7 DAY)
GROUP BY user_id;

-- @case doris-027 Range partition DDL with list of partitions
-- @in
-- @out
CREATE TABLE dwd.dwd_trade_refund (
  refund_id BIGINT, shop_id BIGINT, refund_amount DECIMAL(16,2), refund_date DATE
) UNIQUE KEY(refund_id)
PARTITION BY RANGE(refund_date) (
  PARTITION p202401 VALUES LESS THAN ("2024-02-01"),
  PARTITION p202402 VALUES LESS THAN ("2024-03-01")
)
DISTRIBUTED BY HASH(refund_id) BUCKETS 8
PROPERTIES ("enable_unique_key_merge_on_write" = "true");

-- @case doris-028 Insert-select with JSON extraction
-- @in ods.ods_event_json
-- @out dwd.dwd_traffic_event
-- @col dwd.dwd_traffic_event.dt <- ods.ods_event_json.dt
-- @col dwd.dwd_traffic_event.user_id <- ods.ods_event_json.payload
-- @col dwd.dwd_traffic_event.event <- ods.ods_event_json.payload
INSERT INTO dwd.dwd_traffic_event (dt, user_id, event)
SELECT dt, get_json_string(payload, '$.uid'), get_json_string(payload, '$.event')
FROM ods.ods_event_json
WHERE dt = '${bizdate}';

-- @case doris-029 Left anti join to find new users
-- @in dwd.dwd_user_login, dim.dim_user_history
-- @out dws.dws_user_new
INSERT INTO dws.dws_user_new
SELECT l.user_id, MIN(l.login_date)
FROM dwd.dwd_user_login l
LEFT ANTI JOIN dim.dim_user_history h ON l.user_id = h.user_id
GROUP BY l.user_id;

-- @case doris-030 Retention: self-join of a login table
-- @in dwd.dwd_user_login
-- @out ads.ads_retention_1d
INSERT INTO ads.ads_retention_1d
SELECT a.login_date, COUNT(DISTINCT a.user_id) AS users, COUNT(DISTINCT b.user_id) AS retained
FROM dwd.dwd_user_login a
LEFT JOIN dwd.dwd_user_login b
  ON a.user_id = b.user_id AND b.login_date = DATE_ADD(a.login_date, INTERVAL 1 DAY)
GROUP BY a.login_date;

-- @case doris-031 Insert values into a config table
-- @in
-- @out dim.dim_config
INSERT INTO dim.dim_config VALUES ('gmv_target', '1000000'), ('refund_limit', '0.05');

-- @case doris-032 Export job (command, no lineage)
-- @in
-- @out
EXPORT TABLE ads.ads_daily_gmv TO "hdfs://nn:8020/export/gmv/" PROPERTIES ("column_separator" = ",") WITH BROKER "hdfs_broker";

-- @case doris-033 Grouping with ROLLUP
-- @in dws.dws_shop_sales_1d, dim.dim_shop
-- @out ads.ads_sales_rollup
INSERT INTO ads.ads_sales_rollup
SELECT d.province, d.city, SUM(s.sales) AS sales
FROM dws.dws_shop_sales_1d s JOIN dim.dim_shop d ON s.shop_id = d.shop_id
GROUP BY ROLLUP(d.province, d.city);

-- @case doris-034 Insert using window LAG for day-over-day
-- @in ads.ads_daily_gmv
-- @out ads.ads_daily_gmv_dod
-- @col ads.ads_daily_gmv_dod.order_date <- ads.ads_daily_gmv.order_date
-- @col ads.ads_daily_gmv_dod.gmv <- ads.ads_daily_gmv.gmv
-- @col ads.ads_daily_gmv_dod.gmv_prev <- ads.ads_daily_gmv.gmv, ads.ads_daily_gmv.order_date
INSERT INTO ads.ads_daily_gmv_dod
SELECT order_date, gmv, LAG(gmv, 1) OVER (ORDER BY order_date) AS gmv_prev
FROM ads.ads_daily_gmv;

-- @case doris-035 Temp table built and dropped in one script
-- @in dwd.dwd_trade_order
-- @out ads.ads_top_users
DROP TABLE IF EXISTS tmp.tmp_user_amount;
CREATE TABLE tmp.tmp_user_amount DISTRIBUTED BY HASH(user_id) BUCKETS 4 PROPERTIES ("replication_num" = "1")
AS SELECT user_id, SUM(amount) AS amount FROM dwd.dwd_trade_order GROUP BY user_id;
INSERT INTO ads.ads_top_users SELECT user_id, amount FROM tmp.tmp_user_amount ORDER BY amount DESC LIMIT 100;
DROP TABLE tmp.tmp_user_amount;

-- @case doris-036 INSERT with IN list filter and NOT EXISTS
-- @in dwd.dwd_trade_order, dim.dim_test_shop
-- @out dws.dws_real_orders
INSERT INTO dws.dws_real_orders
SELECT o.* FROM dwd.dwd_trade_order o
WHERE o.status IN ('PAID', 'SHIPPED')
  AND NOT EXISTS (SELECT 1 FROM dim.dim_test_shop t WHERE t.shop_id = o.shop_id);

-- @case doris-037 Aggregation over a derived table with alias columns
-- @in dwd.dwd_trade_order
-- @out ads.ads_amount_bucket
-- @col ads.ads_amount_bucket.bucket <- dwd.dwd_trade_order.amount
-- @col ads.ads_amount_bucket.cnt <-
INSERT INTO ads.ads_amount_bucket
SELECT bucket, COUNT(*) AS cnt FROM (
  SELECT CASE WHEN amount < 100 THEN 'small' WHEN amount < 1000 THEN 'medium' ELSE 'large' END AS bucket
  FROM dwd.dwd_trade_order
) b GROUP BY bucket;

-- @case doris-038 SELECT * with schema into a copy table
-- @schema ods.ods_shop: shop_id, shop_name, city, province
-- @in ods.ods_shop
-- @out dim.dim_shop
-- @col dim.dim_shop.shop_id <- ods.ods_shop.shop_id
-- @col dim.dim_shop.shop_name <- ods.ods_shop.shop_name
-- @col dim.dim_shop.city <- ods.ods_shop.city
-- @col dim.dim_shop.province <- ods.ods_shop.province
INSERT OVERWRITE TABLE dim.dim_shop SELECT * FROM ods.ods_shop;

-- @case doris-039 SELECT * without schema (table lineage still exact)
-- @in ods.ods_shop
-- @out dim.dim_shop_bak
INSERT INTO dim.dim_shop_bak SELECT * FROM ods.ods_shop;

-- @case doris-040 Insert with variable-named partition and label, substituted
-- @var bizdate=20240115
-- @in dwd.dwd_trade_order
-- @out dws.dws_trade_daily
INSERT INTO dws.dws_trade_daily PARTITION (p${bizdate}) WITH LABEL daily_${bizdate}
SELECT order_date, COUNT(*), SUM(amount) FROM dwd.dwd_trade_order WHERE order_date = '${bizdate}' GROUP BY order_date;

-- @case doris-041 Join three dimension tables
-- @in dwd.dwd_trade_order, dim.dim_user, dim.dim_shop, dim.dim_sku
-- @out dws.dws_trade_wide
-- @col dws.dws_trade_wide.order_id <- dwd.dwd_trade_order.order_id
-- @col dws.dws_trade_wide.user_name <- dim.dim_user.user_name
-- @col dws.dws_trade_wide.shop_name <- dim.dim_shop.shop_name
-- @col dws.dws_trade_wide.sku_name <- dim.dim_sku.sku_name
-- @col dws.dws_trade_wide.amount <- dwd.dwd_trade_order.amount
INSERT INTO dws.dws_trade_wide
SELECT o.order_id, u.user_name, s.shop_name, k.sku_name, o.amount
FROM dwd.dwd_trade_order o
JOIN dim.dim_user u ON o.user_id = u.user_id
JOIN dim.dim_shop s ON o.shop_id = s.shop_id
JOIN dim.dim_sku k ON o.sku_id = k.sku_id;

-- @case doris-042 Stream-load style label insert with strict mode off
-- @in ods.ods_log_stage
-- @out ods.ods_log
SET enable_insert_strict = false;
INSERT INTO ods.ods_log WITH LABEL log_${bizdate}_${hour} SELECT * FROM ods.ods_log_stage;

-- @case doris-043 Data-quality check query
-- @in dws.dws_trade_daily, dwd.dwd_trade_order
-- @out
SELECT d.dt, d.cnt, o.cnt
FROM dws.dws_trade_daily d
JOIN (SELECT order_date, COUNT(*) AS cnt FROM dwd.dwd_trade_order GROUP BY order_date) o
  ON d.dt = o.order_date
WHERE d.cnt <> o.cnt;

-- @case doris-044 INSERT OVERWRITE whole table from a CTE chain
-- @in dwd.dwd_trade_order, dim.dim_user
-- @out ads.ads_city_gmv
INSERT OVERWRITE TABLE ads.ads_city_gmv
WITH j AS (SELECT u.city, o.amount FROM dwd.dwd_trade_order o JOIN dim.dim_user u ON o.user_id = u.user_id),
     g AS (SELECT city, SUM(amount) AS gmv FROM j GROUP BY city)
SELECT city, gmv FROM g;

-- @case doris-045 Broker load from HDFS into ODS
-- @in
-- @out ods.ods_order_info
LOAD LABEL ods.order_load_${bizdate}
(
  DATA INFILE("hdfs://nn:8020/data/orders/${bizdate}/*")
  INTO TABLE ods_order_info
  COLUMNS TERMINATED BY ","
  (id, user_id, total_amount, create_time)
)
WITH BROKER "hdfs_broker"
PROPERTIES ("timeout" = "3600");

-- @case doris-046 Lower and upper-case table names normalised
-- @in ods.ods_shop
-- @out dim.dim_shop_lower
INSERT INTO DIM.DIM_SHOP_LOWER SELECT SHOP_ID, LOWER(SHOP_NAME) FROM ODS.ODS_SHOP;

-- @case doris-047 Insert with ON clause using functions
-- @in dwd.dwd_trade_order, dim.dim_date
-- @out dws.dws_trade_week
INSERT INTO dws.dws_trade_week
SELECT d.week_id, SUM(o.amount)
FROM dwd.dwd_trade_order o JOIN dim.dim_date d ON DATE(o.order_time) = d.date_id
GROUP BY d.week_id;

-- @case doris-048 Unqualified names with default database
-- @db dw
-- @in dw.orders, dw.refunds
-- @out dw.order_net
INSERT INTO order_net
SELECT o.id, o.amount - IFNULL(r.amount, 0) FROM orders o LEFT JOIN refunds r ON o.id = r.order_id;

-- @case doris-049 QUALIFY-free top-N per group via rank
-- @in dws.dws_shop_sales_1d, dim.dim_shop
-- @out ads.ads_city_top3
INSERT INTO ads.ads_city_top3
SELECT city, shop_id, sales FROM (
  SELECT d.city, s.shop_id, s.sales, DENSE_RANK() OVER (PARTITION BY d.city ORDER BY s.sales DESC) AS rk
  FROM dws.dws_shop_sales_1d s JOIN dim.dim_shop d ON s.shop_id = d.shop_id
) t WHERE rk <= 3;

-- @case doris-050 CTAS from external Hive catalog with properties
-- @in hive_catalog.dwd.dwd_user_tag
-- @out dim.dim_user_tag
CREATE TABLE dim.dim_user_tag
DUPLICATE KEY(user_id)
DISTRIBUTED BY HASH(user_id) BUCKETS 16
PROPERTIES ("replication_num" = "3", "storage_medium" = "SSD")
AS SELECT user_id, tag FROM hive_catalog.dwd.dwd_user_tag WHERE dt = '${bizdate}';

-- @case doris-051 Doris explode_split lateral view
-- @in ods.ods_user_profile
-- @out dwd.dwd_user_tag
INSERT INTO dwd.dwd_user_tag
SELECT user_id, tag FROM ods.ods_user_profile
LATERAL VIEW explode_split(tags, ',') tmp AS tag;

-- @case doris-052 EXCEPT between two snapshots
-- @in ods.ods_sku_today, ods.ods_sku_yesterday
-- @out dwd.dwd_sku_changed
INSERT INTO dwd.dwd_sku_changed
SELECT id, price FROM ods.ods_sku_today
EXCEPT
SELECT id, price FROM ods.ods_sku_yesterday;

-- @case doris-053 GROUPING SETS with total row
-- @in dws.dws_shop_sales_1d
-- @out ads.ads_sales_sets
INSERT INTO ads.ads_sales_sets
SELECT shop_id, SUM(sales) FROM dws.dws_shop_sales_1d GROUP BY GROUPING SETS ((shop_id), ());
