-- Golden corpus: Hive SQL batch jobs (DolphinScheduler SQL/Hive tasks).

-- @case hive-001 ODS daily load from staging with static partition
-- @in stg.app_orders
-- @out ods.ods_app_orders_di
-- @col ods.ods_app_orders_di.order_id <- stg.app_orders.order_id
-- @col ods.ods_app_orders_di.user_id <- stg.app_orders.user_id
-- @col ods.ods_app_orders_di.amount <- stg.app_orders.amount
-- @col ods.ods_app_orders_di.created_at <- stg.app_orders.created_at
INSERT OVERWRITE TABLE ods.ods_app_orders_di PARTITION (dt = '${bizdate}')
SELECT order_id, user_id, amount, created_at
FROM stg.app_orders
WHERE to_date(created_at) = '${bizdate}';

-- @case hive-002 DWD cleaning with dimension join and dynamic partition
-- @in ods.ods_app_orders_di, dim.dim_user
-- @out dwd.dwd_trade_order_di
-- @col dwd.dwd_trade_order_di.order_id <- ods.ods_app_orders_di.order_id
-- @col dwd.dwd_trade_order_di.user_id <- ods.ods_app_orders_di.user_id
-- @col dwd.dwd_trade_order_di.city <- dim.dim_user.city
-- @col dwd.dwd_trade_order_di.amount <- ods.ods_app_orders_di.amount
-- @col dwd.dwd_trade_order_di.dt <- ods.ods_app_orders_di.dt
SET hive.exec.dynamic.partition=true;
SET hive.exec.dynamic.partition.mode=nonstrict;
INSERT OVERWRITE TABLE dwd.dwd_trade_order_di PARTITION (dt)
SELECT o.order_id,
       o.user_id,
       u.city,
       CAST(o.amount AS DECIMAL(18, 2)) AS amount,
       o.dt
FROM ods.ods_app_orders_di o
LEFT JOIN dim.dim_user u ON o.user_id = u.user_id
WHERE o.dt = '${bizdate}' AND o.order_id IS NOT NULL;

-- @case hive-003 CTE before INSERT OVERWRITE (CTE name is not a table)
-- @in dwd.dwd_trade_order_di
-- @out dws.dws_user_pay_1d
-- @col dws.dws_user_pay_1d.user_id <- dwd.dwd_trade_order_di.user_id
-- @col dws.dws_user_pay_1d.pay_amount <- dwd.dwd_trade_order_di.amount
-- @col dws.dws_user_pay_1d.pay_cnt <-
WITH paid AS (
  SELECT user_id, amount FROM dwd.dwd_trade_order_di
  WHERE dt = '${bizdate}' AND status = 'PAID'
)
INSERT OVERWRITE TABLE dws.dws_user_pay_1d PARTITION (dt = '${bizdate}')
SELECT user_id, SUM(amount) AS pay_amount, COUNT(*) AS pay_cnt
FROM paid
GROUP BY user_id;

-- @case hive-004 Nested CTEs referencing each other
-- @in dwd.dwd_trade_order_di, dim.dim_sku
-- @out dws.dws_category_sales_1d
-- @col dws.dws_category_sales_1d.category <- dim.dim_sku.category
-- @col dws.dws_category_sales_1d.sales <- dwd.dwd_trade_order_di.amount
WITH o AS (
  SELECT sku_id, amount FROM dwd.dwd_trade_order_di WHERE dt = '${bizdate}'
), s AS (
  SELECT o.sku_id, o.amount, d.category FROM o JOIN dim.dim_sku d ON o.sku_id = d.sku_id
)
INSERT OVERWRITE TABLE dws.dws_category_sales_1d PARTITION (dt = '${bizdate}')
SELECT category, SUM(amount) AS sales FROM s GROUP BY category;

-- @case hive-005 LATERAL VIEW explode of tags
-- @in ods.ods_user_profile_df
-- @out dwd.dwd_user_tag_df
-- @col dwd.dwd_user_tag_df.user_id <- ods.ods_user_profile_df.user_id
-- @col dwd.dwd_user_tag_df.tag <- ods.ods_user_profile_df.tags
INSERT OVERWRITE TABLE dwd.dwd_user_tag_df PARTITION (dt = '${bizdate}')
SELECT p.user_id, t.tag
FROM ods.ods_user_profile_df p
LATERAL VIEW explode(split(p.tags, ',')) t AS tag
WHERE p.dt = '${bizdate}';

-- @case hive-006 UNION ALL of two sources with a literal column
-- @in ods.ods_app_log_di, ods.ods_web_log_di
-- @out dwd.dwd_traffic_page_view_di
-- @col dwd.dwd_traffic_page_view_di.user_id <- ods.ods_app_log_di.user_id, ods.ods_web_log_di.uid
-- @col dwd.dwd_traffic_page_view_di.page <- ods.ods_app_log_di.page_id, ods.ods_web_log_di.url
-- @col dwd.dwd_traffic_page_view_di.channel <-
INSERT OVERWRITE TABLE dwd.dwd_traffic_page_view_di PARTITION (dt = '${bizdate}')
SELECT user_id, page_id AS page, 'app' AS channel FROM ods.ods_app_log_di WHERE dt = '${bizdate}'
UNION ALL
SELECT uid AS user_id, url AS page, 'web' AS channel FROM ods.ods_web_log_di WHERE dt = '${bizdate}';

-- @case hive-007 Unquoted DolphinScheduler variables
-- @in ods.ods_payment_di
-- @out dwd.dwd_trade_payment_di
INSERT OVERWRITE TABLE dwd.dwd_trade_payment_di PARTITION (dt=${bizdate})
SELECT pay_id, order_id, pay_amount, pay_time
FROM ods.ods_payment_di
WHERE dt=${bizdate} AND pay_status = 1;

-- @case hive-008 Scheduler date arithmetic $[yyyyMMdd-1]
-- @in dws.dws_user_pay_1d
-- @out ads.ads_pay_summary
INSERT OVERWRITE TABLE ads.ads_pay_summary PARTITION (dt='$[yyyyMMdd-1]')
SELECT COUNT(DISTINCT user_id) AS payers, SUM(pay_amount) AS gmv
FROM dws.dws_user_pay_1d
WHERE dt = '$[yyyyMMdd-1]';

-- @case hive-009 Multi-statement script with ADD JAR, temporary function and USE
-- @in dwd.dwd_traffic_page_view_di
-- @out dws.dws_traffic_session_1d
ADD JAR hdfs:///udf/dp-udf-1.4.jar;
CREATE TEMPORARY FUNCTION session_id AS 'com.dp.udf.SessionId';
USE dws;
INSERT OVERWRITE TABLE dws_traffic_session_1d PARTITION (dt='${bizdate}')
SELECT user_id, session_id(user_id, ts) AS sid, COUNT(1) AS pv
FROM dwd.dwd_traffic_page_view_di
WHERE dt='${bizdate}'
GROUP BY user_id, session_id(user_id, ts);

-- @case hive-010 CTAS for a temporary working table then drop
-- @in dwd.dwd_trade_order_di
-- @out dws.dws_trade_user_order_td
CREATE TABLE tmp.tmp_order_agg AS
SELECT user_id, COUNT(*) AS cnt, SUM(amount) AS amt
FROM dwd.dwd_trade_order_di
WHERE dt <= '${bizdate}'
GROUP BY user_id;
INSERT OVERWRITE TABLE dws.dws_trade_user_order_td PARTITION (dt='${bizdate}')
SELECT user_id, cnt, amt FROM tmp.tmp_order_agg;
DROP TABLE IF EXISTS tmp.tmp_order_agg;

-- @case hive-011 Subquery with alias and aggregation
-- @in dwd.dwd_trade_order_di
-- @out dws.dws_trade_user_first_order
-- @col dws.dws_trade_user_first_order.user_id <- dwd.dwd_trade_order_di.user_id
-- @col dws.dws_trade_user_first_order.first_order_time <- dwd.dwd_trade_order_di.created_at
INSERT OVERWRITE TABLE dws.dws_trade_user_first_order
SELECT t.user_id, t.first_order_time
FROM (
  SELECT user_id, MIN(created_at) AS first_order_time
  FROM dwd.dwd_trade_order_di
  GROUP BY user_id
) t;

-- @case hive-012 Window function dedup (row_number)
-- @in ods.ods_user_info_di
-- @out dim.dim_user
-- @col dim.dim_user.user_id <- ods.ods_user_info_di.user_id
-- @col dim.dim_user.user_name <- ods.ods_user_info_di.user_name
-- @col dim.dim_user.city <- ods.ods_user_info_di.city
INSERT OVERWRITE TABLE dim.dim_user
SELECT user_id, user_name, city
FROM (
  SELECT user_id, user_name, city,
         row_number() OVER (PARTITION BY user_id ORDER BY update_time DESC) AS rn
  FROM ods.ods_user_info_di
) x
WHERE rn = 1;

-- @case hive-013 Full outer join zipper merge (SCD)
-- @in dim.dim_user_zip, ods.ods_user_info_di
-- @out dim.dim_user_zip
INSERT OVERWRITE TABLE dim.dim_user_zip
SELECT COALESCE(n.user_id, o.user_id) AS user_id,
       COALESCE(n.user_name, o.user_name) AS user_name,
       IF(n.user_id IS NOT NULL, '${bizdate}', o.start_date) AS start_date,
       '9999-12-31' AS end_date
FROM dim.dim_user_zip o
FULL OUTER JOIN (SELECT * FROM ods.ods_user_info_di WHERE dt = '${bizdate}') n
  ON o.user_id = n.user_id;

-- @case hive-014 INSERT INTO TABLE with column list
-- @in dwd.dwd_trade_refund_di
-- @out dws.dws_trade_refund_1d
-- @col dws.dws_trade_refund_1d.user_id <- dwd.dwd_trade_refund_di.user_id
-- @col dws.dws_trade_refund_1d.refund_amount <- dwd.dwd_trade_refund_di.refund_amount
INSERT INTO TABLE dws.dws_trade_refund_1d (user_id, refund_amount)
SELECT user_id, SUM(refund_amount)
FROM dwd.dwd_trade_refund_di
WHERE dt = '${bizdate}'
GROUP BY user_id;

-- @case hive-015 Multi-insert from one source
-- @in ods.ods_app_log_di
-- @out dwd.dwd_traffic_start_di, dwd.dwd_traffic_error_di
FROM ods.ods_app_log_di l
INSERT OVERWRITE TABLE dwd.dwd_traffic_start_di PARTITION (dt='${bizdate}')
  SELECT l.user_id, l.ts WHERE l.event = 'start' AND l.dt = '${bizdate}'
INSERT OVERWRITE TABLE dwd.dwd_traffic_error_di PARTITION (dt='${bizdate}')
  SELECT l.user_id, l.err_code, l.ts WHERE l.event = 'error' AND l.dt = '${bizdate}';

-- @case hive-016 IN subquery filter
-- @in dwd.dwd_trade_order_di, dim.dim_blacklist
-- @out dws.dws_trade_clean_order_1d
INSERT OVERWRITE TABLE dws.dws_trade_clean_order_1d PARTITION (dt='${bizdate}')
SELECT order_id, user_id, amount
FROM dwd.dwd_trade_order_di
WHERE dt='${bizdate}'
  AND user_id NOT IN (SELECT user_id FROM dim.dim_blacklist);

-- @case hive-017 EXISTS correlated subquery
-- @in dim.dim_user, dwd.dwd_trade_order_di
-- @out ads.ads_active_buyer
INSERT OVERWRITE TABLE ads.ads_active_buyer
SELECT u.user_id, u.user_name
FROM dim.dim_user u
WHERE EXISTS (
  SELECT 1 FROM dwd.dwd_trade_order_di o
  WHERE o.user_id = u.user_id AND o.dt >= date_sub('${bizdate}', 30)
);

-- @case hive-018 Hive variables with hiveconf prefix
-- @in dwd.dwd_traffic_page_view_di
-- @out dws.dws_traffic_page_1d
INSERT OVERWRITE TABLE dws.dws_traffic_page_1d PARTITION (dt='${hiveconf:biz_date}')
SELECT page, COUNT(*) AS pv, COUNT(DISTINCT user_id) AS uv
FROM dwd.dwd_traffic_page_view_di
WHERE dt='${hiveconf:biz_date}'
GROUP BY page;

-- @case hive-019 Table name built from a variable that is given
-- @var env=prod
-- @in ods_prod.ods_coupon_di
-- @out dwd.dwd_coupon_use_di
INSERT OVERWRITE TABLE dwd.dwd_coupon_use_di PARTITION (dt='${bizdate}')
SELECT coupon_id, user_id, used_time FROM ods_${env}.ods_coupon_di WHERE dt='${bizdate}';

-- @case hive-020 Default database for unqualified names
-- @db dw
-- @in dw.order_detail, dw.sku_info
-- @out dw.order_wide
INSERT OVERWRITE TABLE order_wide
SELECT d.order_id, d.sku_id, s.sku_name, d.num * s.price AS total
FROM order_detail d JOIN sku_info s ON d.sku_id = s.id;

-- @case hive-021 SELECT * with schema expands columns
-- @schema ods.ods_sku_info_df: id, sku_name, price, category_id, dt
-- @schema dim.dim_sku: id, sku_name, price, category_id
-- @in ods.ods_sku_info_df
-- @out dim.dim_sku
-- @col dim.dim_sku.id <- ods.ods_sku_info_df.id
-- @col dim.dim_sku.sku_name <- ods.ods_sku_info_df.sku_name
-- @col dim.dim_sku.price <- ods.ods_sku_info_df.price
-- @col dim.dim_sku.category_id <- ods.ods_sku_info_df.category_id
INSERT OVERWRITE TABLE dim.dim_sku
SELECT id, sku_name, price, category_id FROM (SELECT * FROM ods.ods_sku_info_df WHERE dt = '${bizdate}') s;

-- @case hive-022 INSERT without column list, target schema known
-- @schema dws.dws_sku_sales_1d: sku_id, sales_num, sales_amount, dt
-- @in dwd.dwd_trade_order_detail_di
-- @out dws.dws_sku_sales_1d
-- @col dws.dws_sku_sales_1d.sku_id <- dwd.dwd_trade_order_detail_di.sku_id
-- @col dws.dws_sku_sales_1d.sales_num <- dwd.dwd_trade_order_detail_di.sku_num
-- @col dws.dws_sku_sales_1d.sales_amount <- dwd.dwd_trade_order_detail_di.split_amount
INSERT OVERWRITE TABLE dws.dws_sku_sales_1d PARTITION (dt='${bizdate}')
SELECT sku_id, SUM(sku_num), SUM(split_amount)
FROM dwd.dwd_trade_order_detail_di
WHERE dt='${bizdate}'
GROUP BY sku_id;

-- @case hive-023 Join of three tables with CASE expression
-- @in dwd.dwd_trade_order_di, dim.dim_user, dim.dim_province
-- @out dws.dws_trade_province_1d
-- @col dws.dws_trade_province_1d.province_name <- dim.dim_province.name
-- @col dws.dws_trade_province_1d.order_cnt <-
-- @col dws.dws_trade_province_1d.big_order_cnt <- dwd.dwd_trade_order_di.amount
INSERT OVERWRITE TABLE dws.dws_trade_province_1d PARTITION (dt='${bizdate}')
SELECT p.name AS province_name,
       COUNT(*) AS order_cnt,
       SUM(CASE WHEN o.amount >= 1000 THEN 1 ELSE 0 END) AS big_order_cnt
FROM dwd.dwd_trade_order_di o
JOIN dim.dim_user u ON o.user_id = u.user_id
JOIN dim.dim_province p ON u.province_id = p.id
WHERE o.dt = '${bizdate}'
GROUP BY p.name;

-- @case hive-024 Drop and rebuild partition, then insert
-- @in ods.ods_cart_info_df
-- @out dwd.dwd_trade_cart_df
ALTER TABLE dwd.dwd_trade_cart_df DROP IF EXISTS PARTITION (dt='${bizdate}');
INSERT INTO TABLE dwd.dwd_trade_cart_df PARTITION (dt='${bizdate}')
SELECT id, user_id, sku_id, sku_num FROM ods.ods_cart_info_df WHERE dt='${bizdate}';

-- @case hive-025 LEFT SEMI JOIN
-- @in dwd.dwd_trade_order_di, dws.dws_user_new_1d
-- @out ads.ads_new_user_orders
INSERT OVERWRITE TABLE ads.ads_new_user_orders
SELECT o.order_id, o.user_id, o.amount
FROM dwd.dwd_trade_order_di o
LEFT SEMI JOIN dws.dws_user_new_1d n ON o.user_id = n.user_id;

-- @case hive-026 GROUPING SETS report
-- @in dws.dws_trade_province_1d
-- @out ads.ads_trade_region_stats
INSERT OVERWRITE TABLE ads.ads_trade_region_stats
SELECT region, province_name, SUM(order_cnt) AS order_cnt
FROM dws.dws_trade_province_1d
WHERE dt = '${bizdate}'
GROUP BY region, province_name GROUPING SETS ((region, province_name), (region), ());

-- @case hive-027 Comments everywhere
-- @in ods.ods_refund_info_di
-- @out dwd.dwd_trade_refund_di
-- refund cleaning job
/* owner: trade-dw */
INSERT OVERWRITE TABLE dwd.dwd_trade_refund_di PARTITION (dt='${bizdate}') -- daily
SELECT id AS refund_id,      -- primary key
       order_id,
       user_id,
       refund_amount         /* in cents */ / 100 AS refund_amount
FROM ods.ods_refund_info_di  -- source
WHERE dt='${bizdate}';

-- @case hive-028 Insert from a backticked database and table
-- @in ods.ods_order_status_log
-- @out dwd.dwd_order_status_di
INSERT OVERWRITE TABLE `dwd`.`dwd_order_status_di` PARTITION (`dt`='${bizdate}')
SELECT `order_id`, `status`, `op_time` FROM `ods`.`ods_order_status_log` WHERE `dt`='${bizdate}';

-- @case hive-029 Accumulating snapshot with two CTEs and UNION ALL
-- @in dws.dws_user_login_td, dwd.dwd_user_login_di
-- @out dws.dws_user_login_td
WITH old AS (
  SELECT user_id, first_login, last_login FROM dws.dws_user_login_td WHERE dt = date_sub('${bizdate}', 1)
), today AS (
  SELECT user_id, MIN(login_time) AS first_login, MAX(login_time) AS last_login
  FROM dwd.dwd_user_login_di WHERE dt = '${bizdate}' GROUP BY user_id
)
INSERT OVERWRITE TABLE dws.dws_user_login_td PARTITION (dt = '${bizdate}')
SELECT user_id, MIN(first_login), MAX(last_login)
FROM (SELECT * FROM old UNION ALL SELECT * FROM today) u
GROUP BY user_id;

-- @case hive-030 Plain SELECT for a data check
-- @in dwd.dwd_trade_order_di
-- @out
SELECT COUNT(*) FROM dwd.dwd_trade_order_di WHERE dt = '${bizdate}' AND amount < 0;

-- @case hive-031 LOAD DATA into ODS
-- @in
-- @out ods.ods_base_region
LOAD DATA INPATH '/origin_data/base_region/${bizdate}' OVERWRITE INTO TABLE ods.ods_base_region PARTITION (dt='${bizdate}');

-- @case hive-032 CREATE VIEW
-- @in dws.dws_trade_user_order_td, dim.dim_user
-- @out ads.v_user_value
-- @col ads.v_user_value.user_id <- dws.dws_trade_user_order_td.user_id
-- @col ads.v_user_value.city <- dim.dim_user.city
-- @col ads.v_user_value.amt <- dws.dws_trade_user_order_td.amt
CREATE VIEW IF NOT EXISTS ads.v_user_value AS
SELECT t.user_id, u.city, t.amt
FROM dws.dws_trade_user_order_td t JOIN dim.dim_user u ON t.user_id = u.user_id;

-- @case hive-033 DISTRIBUTE BY / SORT BY output
-- @in dwd.dwd_traffic_page_view_di
-- @out dws.dws_traffic_user_path_1d
INSERT OVERWRITE TABLE dws.dws_traffic_user_path_1d PARTITION (dt='${bizdate}')
SELECT user_id, concat_ws('>', collect_list(page)) AS path
FROM (
  SELECT user_id, page, ts FROM dwd.dwd_traffic_page_view_di WHERE dt='${bizdate}'
  DISTRIBUTE BY user_id SORT BY user_id, ts
) t
GROUP BY user_id;

-- @case hive-034 Cross join with a one-row parameter table
-- @in dws.dws_trade_user_order_td, dim.dim_param
-- @out ads.ads_user_level
INSERT OVERWRITE TABLE ads.ads_user_level
SELECT t.user_id, CASE WHEN t.amt >= p.vip_threshold THEN 'vip' ELSE 'normal' END AS level
FROM dws.dws_trade_user_order_td t CROSS JOIN dim.dim_param p;

-- @case hive-035 Comma join in FROM
-- @in dwd.dwd_trade_order_di, dim.dim_date
-- @out dws.dws_trade_week_1w
INSERT OVERWRITE TABLE dws.dws_trade_week_1w
SELECT d.week_id, SUM(o.amount) AS amount
FROM dwd.dwd_trade_order_di o, dim.dim_date d
WHERE o.dt = d.date_id
GROUP BY d.week_id;

-- @case hive-036 Nested subqueries three deep
-- @in dwd.dwd_trade_order_di
-- @out ads.ads_repurchase_rate
INSERT OVERWRITE TABLE ads.ads_repurchase_rate
SELECT SUM(IF(cnt >= 2, 1, 0)) / COUNT(*) AS rate
FROM (
  SELECT user_id, COUNT(*) AS cnt FROM (
    SELECT user_id, order_id FROM (
      SELECT * FROM dwd.dwd_trade_order_di WHERE dt >= date_sub('${bizdate}', 29)
    ) a
  ) b GROUP BY user_id
) c;

-- @case hive-037 CTAS with STORED AS and TBLPROPERTIES
-- @in dwd.dwd_trade_order_di
-- @out tmp.tmp_big_orders
CREATE TABLE IF NOT EXISTS tmp.tmp_big_orders
STORED AS ORC
TBLPROPERTIES ('orc.compress' = 'SNAPPY')
AS SELECT order_id, amount FROM dwd.dwd_trade_order_di WHERE amount > 10000;

-- @case hive-038 INSERT with VALUES (no input)
-- @in
-- @out dim.dim_param
INSERT INTO TABLE dim.dim_param VALUES (1000, 'default');

-- @case hive-039 Date dimension generation from a numbers table
-- @in dim.dim_numbers
-- @out dim.dim_date
INSERT OVERWRITE TABLE dim.dim_date
SELECT date_add('2020-01-01', n) AS date_id, weekofyear(date_add('2020-01-01', n)) AS week_id
FROM dim.dim_numbers WHERE n < 3650;

-- @case hive-040 Same table read and written (incremental merge)
-- @in dws.dws_sku_stock_td, dwd.dwd_sku_stock_change_di
-- @out dws.dws_sku_stock_td
INSERT OVERWRITE TABLE dws.dws_sku_stock_td PARTITION (dt='${bizdate}')
SELECT s.sku_id, s.stock + COALESCE(c.delta, 0) AS stock
FROM (SELECT * FROM dws.dws_sku_stock_td WHERE dt = date_sub('${bizdate}', 1)) s
LEFT JOIN (SELECT sku_id, SUM(delta) AS delta FROM dwd.dwd_sku_stock_change_di WHERE dt='${bizdate}' GROUP BY sku_id) c
ON s.sku_id = c.sku_id;

-- @case hive-041 Many SET statements before work
-- @in ods.ods_comment_info_di
-- @out dwd.dwd_interaction_comment_di
SET mapreduce.job.queuename=dw;
SET hive.exec.parallel=true;
SET hive.merge.mapfiles=true;
SET hive.vectorized.execution.enabled=false;
INSERT OVERWRITE TABLE dwd.dwd_interaction_comment_di PARTITION (dt='${bizdate}')
SELECT id, user_id, sku_id, appraise FROM ods.ods_comment_info_di WHERE dt='${bizdate}';

-- @case hive-042 get_json_object extraction
-- @in ods.ods_log_inc
-- @out dwd.dwd_traffic_action_di
-- @col dwd.dwd_traffic_action_di.user_id <- ods.ods_log_inc.line
-- @col dwd.dwd_traffic_action_di.action_id <- ods.ods_log_inc.line
-- @col dwd.dwd_traffic_action_di.ts <- ods.ods_log_inc.line
INSERT OVERWRITE TABLE dwd.dwd_traffic_action_di PARTITION (dt='${bizdate}')
SELECT get_json_object(line, '$.common.uid') AS user_id,
       get_json_object(line, '$.action.id') AS action_id,
       get_json_object(line, '$.ts') AS ts
FROM ods.ods_log_inc
WHERE dt='${bizdate}' AND get_json_object(line, '$.action') IS NOT NULL;

-- @case hive-043 Two statements writing two tables from each other
-- @in ods.ods_activity_info_df
-- @out dim.dim_activity, ads.ads_activity_count
INSERT OVERWRITE TABLE dim.dim_activity
SELECT id, activity_name, start_time, end_time FROM ods.ods_activity_info_df WHERE dt='${bizdate}';
INSERT OVERWRITE TABLE ads.ads_activity_count
SELECT COUNT(*) FROM dim.dim_activity WHERE end_time >= '${bizdate}';

-- @case hive-044 Window sum over days
-- @in dws.dws_trade_user_order_1d
-- @out dws.dws_trade_user_order_nd
-- @col dws.dws_trade_user_order_nd.user_id <- dws.dws_trade_user_order_1d.user_id
-- @col dws.dws_trade_user_order_nd.amount_7d <- dws.dws_trade_user_order_1d.amount
INSERT OVERWRITE TABLE dws.dws_trade_user_order_nd PARTITION (dt='${bizdate}')
SELECT user_id, SUM(amount) AS amount_7d
FROM dws.dws_trade_user_order_1d
WHERE dt > date_sub('${bizdate}', 7)
GROUP BY user_id;

-- @case hive-045 Union of three partitions with DISTINCT
-- @in ods.ods_user_login_app, ods.ods_user_login_web, ods.ods_user_login_mini
-- @out dwd.dwd_user_login_di
INSERT OVERWRITE TABLE dwd.dwd_user_login_di PARTITION (dt='${bizdate}')
SELECT DISTINCT user_id, login_time FROM (
  SELECT user_id, login_time FROM ods.ods_user_login_app WHERE dt='${bizdate}'
  UNION ALL SELECT user_id, login_time FROM ods.ods_user_login_web WHERE dt='${bizdate}'
  UNION ALL SELECT user_id, login_time FROM ods.ods_user_login_mini WHERE dt='${bizdate}'
) t;

-- @case hive-046 System variable system.biz.date
-- @in dwd.dwd_trade_payment_di
-- @out dws.dws_trade_pay_1d
INSERT OVERWRITE TABLE dws.dws_trade_pay_1d PARTITION (dt='${system.biz.date}')
SELECT order_id, SUM(pay_amount) AS pay_amount FROM dwd.dwd_trade_payment_di
WHERE dt='${system.biz.date}' GROUP BY order_id;

-- @case hive-047 HAVING filter
-- @in dwd.dwd_trade_order_di
-- @out ads.ads_whale_users
-- @col ads.ads_whale_users.user_id <- dwd.dwd_trade_order_di.user_id
-- @col ads.ads_whale_users.total <- dwd.dwd_trade_order_di.amount
INSERT OVERWRITE TABLE ads.ads_whale_users
SELECT user_id, SUM(amount) AS total
FROM dwd.dwd_trade_order_di
GROUP BY user_id
HAVING SUM(amount) > 100000;

-- @case hive-048 Map column access and nvl
-- @in ods.ods_device_info_df
-- @out dim.dim_device
INSERT OVERWRITE TABLE dim.dim_device
SELECT device_id, nvl(attrs['brand'], 'unknown') AS brand, attrs['model'] AS model
FROM ods.ods_device_info_df WHERE dt='${bizdate}';

-- @case hive-049 TRUNCATE then INSERT
-- @in dws.dws_trade_province_1d
-- @out ads.ads_province_top10
TRUNCATE TABLE ads.ads_province_top10;
INSERT INTO TABLE ads.ads_province_top10
SELECT province_name, order_cnt FROM dws.dws_trade_province_1d
WHERE dt='${bizdate}' ORDER BY order_cnt DESC LIMIT 10;

-- @case hive-050 Left join on a derived latest-status table
-- @in dwd.dwd_trade_order_di, dwd.dwd_order_status_di
-- @out dws.dws_order_latest_status
INSERT OVERWRITE TABLE dws.dws_order_latest_status
SELECT o.order_id, s.status
FROM dwd.dwd_trade_order_di o
LEFT JOIN (
  SELECT order_id, status, row_number() OVER (PARTITION BY order_id ORDER BY op_time DESC) rn
  FROM dwd.dwd_order_status_di
) s ON o.order_id = s.order_id AND s.rn = 1;

-- @case hive-051 Create external ODS table (DDL only)
-- @in
-- @out
CREATE EXTERNAL TABLE IF NOT EXISTS ods.ods_base_dic (
  dic_code STRING COMMENT 'code',
  dic_name STRING COMMENT 'name'
) PARTITIONED BY (dt STRING)
ROW FORMAT DELIMITED FIELDS TERMINATED BY '\t'
LOCATION '/warehouse/ods/ods_base_dic/';

-- @case hive-052 Insert from CTE with UNION inside
-- @in ods.ods_favor_info_di, ods.ods_cart_info_df
-- @out dws.dws_interaction_sku_1d
WITH acts AS (
  SELECT sku_id, 'favor' AS act FROM ods.ods_favor_info_di WHERE dt='${bizdate}'
  UNION ALL
  SELECT sku_id, 'cart' AS act FROM ods.ods_cart_info_df WHERE dt='${bizdate}'
)
INSERT OVERWRITE TABLE dws.dws_interaction_sku_1d PARTITION (dt='${bizdate}')
SELECT sku_id, SUM(IF(act='favor',1,0)) AS favor_cnt, SUM(IF(act='cart',1,0)) AS cart_cnt
FROM acts GROUP BY sku_id;

-- @case hive-053 INSERT OVERWRITE DIRECTORY export (files, not a table)
-- @in dws.dws_trade_user_order_td
-- @out
INSERT OVERWRITE DIRECTORY '/export/user_order/${bizdate}'
ROW FORMAT DELIMITED FIELDS TERMINATED BY ','
SELECT * FROM dws.dws_trade_user_order_td WHERE dt = '${bizdate}';

-- @case hive-054 TRANSFORM with a script
-- @in ods.ods_user_agent_di
-- @out dwd.dwd_device_parsed_di
INSERT OVERWRITE TABLE dwd.dwd_device_parsed_di PARTITION (dt='${bizdate}')
SELECT TRANSFORM(user_id, ua) USING 'python parse_ua.py' AS (user_id, os, browser)
FROM ods.ods_user_agent_di WHERE dt='${bizdate}';

-- @case hive-055 CTE followed by a multi-insert
-- @in ods.ods_app_log_di
-- @out dwd.dwd_traffic_display_di, dwd.dwd_traffic_click_di
WITH logs AS (SELECT * FROM ods.ods_app_log_di WHERE dt = '${bizdate}')
FROM logs
INSERT OVERWRITE TABLE dwd.dwd_traffic_display_di PARTITION (dt='${bizdate}')
  SELECT logs.user_id, logs.item_id WHERE logs.event = 'display'
INSERT OVERWRITE TABLE dwd.dwd_traffic_click_di PARTITION (dt='${bizdate}')
  SELECT logs.user_id, logs.item_id WHERE logs.event = 'click';

-- @case hive-056 Target table given by a scheduler variable
-- @in ods.ods_generic_di
-- @out ${target_table}
INSERT OVERWRITE TABLE ${target_table} PARTITION (dt='${bizdate}')
SELECT id, payload FROM ods.ods_generic_di WHERE dt='${bizdate}';

-- @case hive-057 DISTRIBUTE BY dynamic partition column
-- @in ods.ods_order_detail_di, ods.ods_order_info_di
-- @out dwd.dwd_trade_order_detail_di
INSERT OVERWRITE TABLE dwd.dwd_trade_order_detail_di PARTITION (dt)
SELECT d.id, d.order_id, d.sku_id, d.sku_num, i.user_id, date_format(i.create_time, 'yyyy-MM-dd') AS dt
FROM ods.ods_order_detail_di d
JOIN ods.ods_order_info_di i ON d.order_id = i.id
WHERE d.dt = '${bizdate}' AND i.dt = '${bizdate}'
DISTRIBUTE BY dt;

-- @case hive-058 MAPJOIN hint
-- @in dwd.dwd_trade_order_di, dim.dim_activity
-- @out dws.dws_trade_activity_1d
INSERT INTO TABLE dws.dws_trade_activity_1d PARTITION (dt='${bizdate}')
SELECT /*+ MAPJOIN(a) */ a.activity_name, COUNT(*) AS orders
FROM dwd.dwd_trade_order_di o JOIN dim.dim_activity a ON o.activity_id = a.id
WHERE o.dt='${bizdate}'
GROUP BY a.activity_name;
