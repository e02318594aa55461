-- Golden corpus: MySQL jobs (operational reporting marts, small warehouses on MySQL/MariaDB).

-- @case mysql-001 Daily sales aggregate with joins
-- @in shop.orders, shop.order_items, shop.products
-- @out report.daily_product_sales
-- @col report.daily_product_sales.sale_date <- shop.orders.created_at
-- @col report.daily_product_sales.product_id <- shop.order_items.product_id
-- @col report.daily_product_sales.product_name <- shop.products.name
-- @col report.daily_product_sales.qty <- shop.order_items.quantity
-- @col report.daily_product_sales.revenue <- shop.order_items.quantity, shop.order_items.unit_price
INSERT INTO report.daily_product_sales (sale_date, product_id, product_name, qty, revenue)
SELECT DATE(o.created_at), i.product_id, p.name, SUM(i.quantity), SUM(i.quantity * i.unit_price)
FROM shop.orders o
JOIN shop.order_items i ON i.order_id = o.id
JOIN shop.products p ON p.id = i.product_id
WHERE o.status = 'paid' AND o.created_at >= '${bizdate}'
GROUP BY DATE(o.created_at), i.product_id, p.name;

-- @case mysql-002 INSERT … ON DUPLICATE KEY UPDATE upsert
-- @in shop.customers
-- @out crm.customer_dim
-- @col crm.customer_dim.customer_id <- shop.customers.id
-- @col crm.customer_dim.email <- shop.customers.email
-- @col crm.customer_dim.full_name <- shop.customers.first_name, shop.customers.last_name
INSERT INTO crm.customer_dim (customer_id, email, full_name)
SELECT id, email, CONCAT(first_name, ' ', last_name)
FROM shop.customers
WHERE updated_at >= NOW() - INTERVAL 1 DAY
ON DUPLICATE KEY UPDATE email = VALUES(email), full_name = VALUES(full_name);

-- @case mysql-003 REPLACE INTO … SELECT
-- @in shop.inventory
-- @out report.stock_snapshot
REPLACE INTO report.stock_snapshot (product_id, stock, snap_date)
SELECT product_id, SUM(qty), CURDATE() FROM shop.inventory GROUP BY product_id;

-- @case mysql-004 Multi-table UPDATE with JOIN
-- @in shop.payments
-- @out shop.orders
UPDATE shop.orders o
JOIN shop.payments p ON p.order_id = o.id
SET o.status = 'paid', o.paid_at = p.paid_at
WHERE p.state = 'SUCCESS' AND o.status = 'pending';

-- @case mysql-005 DELETE with subquery
-- @in shop.customers
-- @out crm.customer_dim
DELETE FROM crm.customer_dim WHERE customer_id IN (SELECT id FROM shop.customers WHERE deleted = 1);

-- @case mysql-006 CTE (MySQL 8) feeding INSERT
-- @in shop.orders
-- @out report.customer_ltv
-- @col report.customer_ltv.customer_id <- shop.orders.customer_id
-- @col report.customer_ltv.orders <-
-- @col report.customer_ltv.ltv <- shop.orders.total
INSERT INTO report.customer_ltv (customer_id, orders, ltv)
WITH paid AS (SELECT customer_id, total FROM shop.orders WHERE status = 'paid')
SELECT customer_id, COUNT(*), SUM(total) FROM paid GROUP BY customer_id;

-- @case mysql-007 CREATE TABLE … AS SELECT
-- @in shop.orders
-- @out tmp.orders_2024
CREATE TABLE tmp.orders_2024 AS SELECT * FROM shop.orders WHERE YEAR(created_at) = 2024;

-- @case mysql-008 CREATE TABLE … SELECT without AS
-- @in shop.products
-- @out report.product_copy
CREATE TABLE report.product_copy SELECT id, name, price FROM shop.products;

-- @case mysql-009 USE then unqualified tables
-- @in shop.orders, shop.customers
-- @out shop.order_customer_wide
USE shop;
INSERT INTO order_customer_wide
SELECT o.id, o.total, c.email FROM orders o JOIN customers c ON c.id = o.customer_id;

-- @case mysql-010 Backticks everywhere
-- @in shop.order_items
-- @out report.item_stats
-- @col report.item_stats.product_id <- shop.order_items.product_id
-- @col report.item_stats.sold <- shop.order_items.quantity
INSERT INTO `report`.`item_stats` (`product_id`, `sold`)
SELECT `product_id`, SUM(`quantity`) FROM `shop`.`order_items` GROUP BY `product_id`;

-- @case mysql-011 Derived table with alias
-- @in shop.orders
-- @out report.monthly_revenue
-- @col report.monthly_revenue.month <- shop.orders.created_at
-- @col report.monthly_revenue.revenue <- shop.orders.total
INSERT INTO report.monthly_revenue (month, revenue)
SELECT m.month, SUM(m.total)
FROM (SELECT DATE_FORMAT(created_at, '%Y-%m') AS month, total FROM shop.orders) AS m
GROUP BY m.month;

-- @case mysql-012 UNION of two tables
-- @in shop.refunds, shop.chargebacks
-- @out report.money_back
INSERT INTO report.money_back (order_id, amount, kind)
SELECT order_id, amount, 'refund' FROM shop.refunds
UNION ALL
SELECT order_id, amount, 'chargeback' FROM shop.chargebacks;

-- @case mysql-013 Scalar subquery in SELECT
-- @in shop.customers, shop.orders
-- @out report.customer_last_order
INSERT INTO report.customer_last_order
SELECT c.id, (SELECT MAX(o.created_at) FROM shop.orders o WHERE o.customer_id = c.id)
FROM shop.customers c;

-- @case mysql-014 Transaction wrapper
-- @in shop.orders
-- @out report.order_count
START TRANSACTION;
DELETE FROM report.order_count WHERE d = CURDATE();
INSERT INTO report.order_count SELECT CURDATE(), COUNT(*) FROM shop.orders WHERE DATE(created_at) = CURDATE();
COMMIT;

-- @case mysql-015 Session variables and SET statements
-- @in shop.sessions
-- @out report.session_stats
SET @d := CURDATE();
SET SESSION sql_mode = 'STRICT_TRANS_TABLES';
INSERT INTO report.session_stats SELECT @d, COUNT(*), AVG(duration) FROM shop.sessions WHERE started_at >= @d;

-- @case mysql-016 LEFT JOIN with IS NULL anti pattern
-- @in shop.customers, shop.orders
-- @out crm.inactive_customers
INSERT INTO crm.inactive_customers (customer_id, email)
SELECT c.id, c.email FROM shop.customers c
LEFT JOIN shop.orders o ON o.customer_id = c.id AND o.created_at > NOW() - INTERVAL 90 DAY
WHERE o.id IS NULL;

-- @case mysql-017 Window function rank (MySQL 8)
-- @in shop.order_items, shop.products
-- @out report.top_products
INSERT INTO report.top_products
SELECT category_id, product_id, revenue FROM (
  SELECT p.category_id, i.product_id, SUM(i.quantity * i.unit_price) AS revenue,
         RANK() OVER (PARTITION BY p.category_id ORDER BY SUM(i.quantity * i.unit_price) DESC) AS rk
  FROM shop.order_items i JOIN shop.products p ON p.id = i.product_id
  GROUP BY p.category_id, i.product_id
) r WHERE rk <= 10;

-- @case mysql-018 INSERT IGNORE
-- @in staging.raw_events
-- @out analytics.events
-- @col analytics.events.event_id <- staging.raw_events.id
-- @col analytics.events.user_id <- staging.raw_events.user_id
-- @col analytics.events.event_type <- staging.raw_events.type
-- @col analytics.events.occurred_at <- staging.raw_events.ts
INSERT IGNORE INTO analytics.events (event_id, user_id, event_type, occurred_at)
SELECT id, user_id, type, FROM_UNIXTIME(ts) FROM staging.raw_events;

-- @case mysql-019 Variables from the scheduler inside quotes
-- @in analytics.events
-- @out analytics.daily_active_users
INSERT INTO analytics.daily_active_users (d, dau)
SELECT '${bizdate}', COUNT(DISTINCT user_id) FROM analytics.events
WHERE occurred_at >= '${bizdate} 00:00:00' AND occurred_at < '${bizdate} 23:59:59';

-- @case mysql-020 Plain SELECT export query
-- @in shop.orders, shop.customers
-- @out
SELECT o.id, c.email, o.total FROM shop.orders o JOIN shop.customers c ON c.id = o.customer_id WHERE o.created_at >= CURDATE();

-- @case mysql-021 EXISTS filter
-- @in shop.products, shop.order_items
-- @out report.sold_products
INSERT INTO report.sold_products (product_id)
SELECT p.id FROM shop.products p WHERE EXISTS (SELECT 1 FROM shop.order_items i WHERE i.product_id = p.id);

-- @case mysql-022 UPDATE with subquery in SET
-- @in shop.order_items
-- @out shop.products
UPDATE shop.products p
SET p.sold_count = (SELECT COALESCE(SUM(i.quantity), 0) FROM shop.order_items i WHERE i.product_id = p.id);

-- @case mysql-023 Multi-table DELETE with join
-- @in shop.orders
-- @out shop.order_items
DELETE i FROM shop.order_items i JOIN shop.orders o ON o.id = i.order_id WHERE o.status = 'cancelled';

-- @case mysql-024 CASE bucketing
-- @in shop.orders
-- @out report.order_size_buckets
-- @col report.order_size_buckets.bucket <- shop.orders.total
-- @col report.order_size_buckets.cnt <-
INSERT INTO report.order_size_buckets (bucket, cnt)
SELECT CASE WHEN total < 50 THEN 'S' WHEN total < 200 THEN 'M' ELSE 'L' END AS bucket, COUNT(*) AS cnt
FROM shop.orders
GROUP BY bucket;

-- @case mysql-025 Temporary table workflow
-- @in shop.order_items
-- @out report.basket_size
CREATE TEMPORARY TABLE tmp_basket AS SELECT order_id, SUM(quantity) AS items FROM shop.order_items GROUP BY order_id;
INSERT INTO report.basket_size SELECT items, COUNT(*) FROM tmp_basket GROUP BY items;
DROP TEMPORARY TABLE tmp_basket;

-- @case mysql-026 INSERT … VALUES
-- @in
-- @out report.job_runs
INSERT INTO report.job_runs (job, started_at) VALUES ('daily_sales', NOW());

-- @case mysql-027 JSON functions
-- @in analytics.raw_payloads
-- @out analytics.devices
-- @col analytics.devices.device_id <- analytics.raw_payloads.body
-- @col analytics.devices.os <- analytics.raw_payloads.body
INSERT INTO analytics.devices (device_id, os)
SELECT JSON_UNQUOTE(JSON_EXTRACT(body, '$.device.id')), body->>'$.device.os'
FROM analytics.raw_payloads;

-- @case mysql-028 GROUP BY WITH ROLLUP
-- @in shop.orders
-- @out report.revenue_rollup
INSERT INTO report.revenue_rollup
SELECT YEAR(created_at), MONTH(created_at), SUM(total) FROM shop.orders
GROUP BY YEAR(created_at), MONTH(created_at) WITH ROLLUP;

-- @case mysql-029 Self join for previous order
-- @in shop.orders
-- @out report.order_gaps
INSERT INTO report.order_gaps (order_id, prev_order_id)
SELECT a.id, MAX(b.id) FROM shop.orders a
JOIN shop.orders b ON b.customer_id = a.customer_id AND b.created_at < a.created_at
GROUP BY a.id;

-- @case mysql-030 CREATE VIEW
-- @in shop.orders, shop.customers
-- @out report.v_orders_with_email
-- @col report.v_orders_with_email.order_id <- shop.orders.id
-- @col report.v_orders_with_email.email <- shop.customers.email
-- @col report.v_orders_with_email.total <- shop.orders.total
CREATE OR REPLACE VIEW report.v_orders_with_email AS
SELECT o.id AS order_id, c.email, o.total
FROM shop.orders o JOIN shop.customers c ON c.id = o.customer_id;

-- @case mysql-031 View with column list
-- @in shop.products
-- @out report.v_price_list
-- @col report.v_price_list.pid <- shop.products.id
-- @col report.v_price_list.price_eur <- shop.products.price
CREATE VIEW report.v_price_list (pid, price_eur) AS SELECT id, ROUND(price * 0.92, 2) FROM shop.products;

-- @case mysql-032 IN list of subquery and NOT IN
-- @in shop.customers, crm.blocked
-- @out crm.mailing_list
INSERT INTO crm.mailing_list (email)
SELECT email FROM shop.customers WHERE newsletter = 1 AND id NOT IN (SELECT customer_id FROM crm.blocked);

-- @case mysql-033 Three-level nested derived tables
-- @in shop.order_items
-- @out report.median_basket
INSERT INTO report.median_basket (items)
SELECT AVG(items) FROM (
  SELECT items FROM (
    SELECT order_id, SUM(quantity) AS items FROM shop.order_items GROUP BY order_id
  ) x ORDER BY items LIMIT 2 OFFSET 100
) y;

-- @case mysql-034 Cross-database join
-- @in erp.suppliers, shop.products
-- @out report.supplier_products
INSERT INTO report.supplier_products
SELECT s.name, COUNT(p.id) FROM erp.suppliers s LEFT JOIN shop.products p ON p.supplier_id = s.id GROUP BY s.name;

-- @case mysql-035 Default database option
-- @db shop
-- @in shop.orders
-- @out shop.order_daily
INSERT INTO order_daily SELECT DATE(created_at), COUNT(*) FROM orders GROUP BY DATE(created_at);

-- @case mysql-036 Statement with leading comments and trailing semicolons
-- @in shop.reviews
-- @out report.product_rating
/* rating refresh */
-- runs hourly
INSERT INTO report.product_rating (product_id, rating)
SELECT product_id, AVG(stars) FROM shop.reviews GROUP BY product_id;;

-- @case mysql-037 INSERT with aliased UNION in derived table
-- @in shop.web_visits, shop.app_visits
-- @out report.visits_daily
-- @col report.visits_daily.d <- shop.web_visits.visited_at, shop.app_visits.opened_at
-- @col report.visits_daily.visits <-
INSERT INTO report.visits_daily (d, visits)
SELECT d, COUNT(*) FROM (
  SELECT DATE(visited_at) AS d FROM shop.web_visits
  UNION ALL
  SELECT DATE(opened_at) AS d FROM shop.app_visits
) v GROUP BY d;

-- @case mysql-038 TRUNCATE then reload
-- @in shop.products, shop.categories
-- @out report.catalog
TRUNCATE TABLE report.catalog;
INSERT INTO report.catalog SELECT p.id, p.name, c.name FROM shop.products p JOIN shop.categories c ON c.id = p.category_id;

-- @case mysql-039 ALTER and index DDL (no lineage)
-- @in
-- @out
ALTER TABLE report.catalog ADD INDEX idx_name (name);
CREATE INDEX idx_orders_created ON shop.orders (created_at);

-- @case mysql-040 COALESCE across joined tables
-- @in shop.customers, crm.customer_overrides
-- @out crm.customer_master
-- @col crm.customer_master.id <- shop.customers.id
-- @col crm.customer_master.email <- crm.customer_overrides.email, shop.customers.email
INSERT INTO crm.customer_master (id, email)
SELECT c.id, COALESCE(o.email, c.email)
FROM shop.customers c LEFT JOIN crm.customer_overrides o ON o.customer_id = c.id;

-- @case mysql-041 DATE arithmetic filters with scheduler variable
-- @in shop.orders
-- @out report.weekly_orders
INSERT INTO report.weekly_orders
SELECT YEARWEEK(created_at), COUNT(*) FROM shop.orders
WHERE created_at >= DATE_SUB('${bizdate}', INTERVAL 7 DAY)
GROUP BY YEARWEEK(created_at);

-- @case mysql-042 GROUP_CONCAT aggregation
-- @in shop.order_items, shop.products
-- @out report.order_product_names
-- @col report.order_product_names.order_id <- shop.order_items.order_id
-- @col report.order_product_names.names <- shop.products.name
INSERT INTO report.order_product_names (order_id, names)
SELECT i.order_id, GROUP_CONCAT(p.name ORDER BY p.name SEPARATOR ', ')
FROM shop.order_items i JOIN shop.products p ON p.id = i.product_id
GROUP BY i.order_id;

-- @case mysql-043 INSERT … SELECT with LIMIT and ORDER BY
-- @in shop.products
-- @out report.expensive_products
INSERT INTO report.expensive_products SELECT id, name, price FROM shop.products ORDER BY price DESC LIMIT 50;

-- @case mysql-044 Two inserts into different targets from one staging table
-- @in staging.import_batch
-- @out shop.customers, shop.addresses
INSERT INTO shop.customers (id, email) SELECT customer_id, email FROM staging.import_batch;
INSERT INTO shop.addresses (customer_id, city) SELECT customer_id, city FROM staging.import_batch;

-- @case mysql-045 CTE used twice (self join of a CTE)
-- @in shop.orders
-- @out report.repeat_customers
INSERT INTO report.repeat_customers
WITH firsts AS (SELECT customer_id, MIN(created_at) AS first_at FROM shop.orders GROUP BY customer_id)
SELECT f.customer_id FROM firsts f
JOIN shop.orders o ON o.customer_id = f.customer_id AND o.created_at > f.first_at
GROUP BY f.customer_id;

-- @case mysql-046 Natural-looking reporting with HAVING and IF
-- @in shop.orders
-- @out report.vip_customers
-- @col report.vip_customers.customer_id <- shop.orders.customer_id
-- @col report.vip_customers.tier <- shop.orders.total
INSERT INTO report.vip_customers (customer_id, tier)
SELECT customer_id, IF(SUM(total) > 10000, 'gold', 'silver')
FROM shop.orders GROUP BY customer_id HAVING SUM(total) > 1000;

-- @case mysql-047 Insert from a table in the default database and a qualified one
-- @db staging
-- @in staging.raw_orders, shop.customers
-- @out shop.orders
INSERT INTO shop.orders (id, customer_id, total)
SELECT r.order_no, c.id, r.amount FROM raw_orders r JOIN shop.customers c ON c.email = r.email;

-- @case mysql-048 CREATE TABLE LIKE (no lineage)
-- @in
-- @out
CREATE TABLE report.daily_product_sales_bak LIKE report.daily_product_sales;

-- @case mysql-049 Update from derived aggregate
-- @in shop.reviews
-- @out shop.products
UPDATE shop.products p
JOIN (SELECT product_id, AVG(stars) AS avg_stars FROM shop.reviews GROUP BY product_id) r ON r.product_id = p.id
SET p.rating = r.avg_stars;

-- @case mysql-050 Insert from table with reserved-word column names
-- @in shop.order_log
-- @out report.order_log_copy
-- @col report.order_log_copy.order_id <- shop.order_log.order_id
-- @col report.order_log_copy.status <- shop.order_log.status
-- @col report.order_log_copy.log_time <- shop.order_log.time
INSERT INTO report.order_log_copy (order_id, status, log_time)
SELECT `order_id`, `status`, `time` FROM shop.order_log;

-- @case mysql-051 Insert of new rows only (target read in NOT EXISTS)
-- @in report.customer_first_seen, shop.customers
-- @out report.customer_first_seen
INSERT INTO report.customer_first_seen (customer_id, first_seen)
SELECT c.id, NOW() FROM shop.customers c
WHERE NOT EXISTS (SELECT 1 FROM report.customer_first_seen f WHERE f.customer_id = c.id);

-- @case mysql-052 Filter by a scalar subquery on another table
-- @in shop.orders, shop.settings
-- @out report.orders_over_threshold
INSERT INTO report.orders_over_threshold
SELECT o.id, o.total FROM shop.orders o
WHERE o.total > (SELECT CAST(v AS DECIMAL(10,2)) FROM shop.settings WHERE k = 'big_order');

-- @case mysql-053 Pivot with conditional aggregation
-- @in shop.order_status_history
-- @out report.order_status_pivot
-- @col report.order_status_pivot.order_id <- shop.order_status_history.order_id
-- @col report.order_status_pivot.paid_at <- shop.order_status_history.status, shop.order_status_history.changed_at
-- @col report.order_status_pivot.shipped_at <- shop.order_status_history.status, shop.order_status_history.changed_at
INSERT INTO report.order_status_pivot (order_id, paid_at, shipped_at)
SELECT order_id,
       MAX(CASE WHEN status = 'paid' THEN changed_at END),
       MAX(CASE WHEN status = 'shipped' THEN changed_at END)
FROM shop.order_status_history
GROUP BY order_id;
