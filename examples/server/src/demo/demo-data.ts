import type { Layer } from '@dataportal/sdk';

/** A column of a demo table: name, SQL type, key. */
export type DemoColumn = readonly [name: string, type: string, key?: 'primary'];

/** A table of the demo warehouse. */
export interface DemoTable {
  /** `db.table`. */
  readonly name: string;
  /** Warehouse layer. */
  readonly layer: Layer;
  /** Owning team. */
  readonly owner: string;
  /** What it holds. */
  readonly description: string;
  /** Columns in order. */
  readonly columns: readonly DemoColumn[];
}

/** A task of the demo warehouse. */
export interface DemoTask {
  /** Unique name. */
  readonly name: string;
  /** What it does. */
  readonly description: string;
  /** Batch (local engine) or stream (Dinky). */
  readonly taskType: 'batch' | 'stream';
  /** The SQL, in the Doris/Hive dialect the local engine also runs on SQLite. */
  readonly sql: string;
  /** Tables read. */
  readonly inputs: readonly string[];
  /** Tables written. */
  readonly outputs: readonly string[];
  /** 5-field cron, or null. */
  readonly schedule: string | null;
  /** Owning team. */
  readonly owner: string;
}

/** The demo warehouse's tables: ODS → DWD/DIM → DWS → ADS of a small shop. */
export const DEMO_TABLES: readonly DemoTable[] = [
  {
    name: 'ods.orders',
    layer: 'ODS',
    owner: 'data-platform',
    description: 'Orders as the shop database records them (daily extract).',
    columns: [
      ['order_id', 'bigint', 'primary'],
      ['user_id', 'bigint'],
      ['product_id', 'bigint'],
      ['amount', 'decimal(12,2)'],
      ['status', 'varchar(16)'],
      ['order_time', 'datetime'],
      ['dt', 'date'],
    ],
  },
  {
    name: 'ods.users',
    layer: 'ODS',
    owner: 'data-platform',
    description: 'Registered customers.',
    columns: [
      ['user_id', 'bigint', 'primary'],
      ['name', 'varchar(64)'],
      ['city', 'varchar(32)'],
      ['register_time', 'datetime'],
    ],
  },
  {
    name: 'ods.products',
    layer: 'ODS',
    owner: 'data-platform',
    description: 'Product catalogue.',
    columns: [
      ['product_id', 'bigint', 'primary'],
      ['name', 'varchar(64)'],
      ['category', 'varchar(32)'],
      ['price', 'decimal(12,2)'],
    ],
  },
  {
    name: 'ods.payments',
    layer: 'ODS',
    owner: 'data-platform',
    description: 'Payments from the payment provider.',
    columns: [
      ['payment_id', 'bigint', 'primary'],
      ['order_id', 'bigint'],
      ['amount', 'decimal(12,2)'],
      ['channel', 'varchar(16)'],
      ['pay_time', 'datetime'],
    ],
  },
  {
    name: 'dim.customer',
    layer: 'DIM',
    owner: 'analytics',
    description: 'Customer dimension.',
    columns: [
      ['user_id', 'bigint', 'primary'],
      ['name', 'varchar(64)'],
      ['city', 'varchar(32)'],
      ['register_date', 'date'],
    ],
  },
  {
    name: 'dim.product',
    layer: 'DIM',
    owner: 'analytics',
    description: 'Product dimension.',
    columns: [
      ['product_id', 'bigint', 'primary'],
      ['name', 'varchar(64)'],
      ['category', 'varchar(32)'],
      ['price', 'decimal(12,2)'],
    ],
  },
  {
    name: 'dwd.order_detail',
    layer: 'DWD',
    owner: 'analytics',
    description: 'One row per order with its category and paid amount.',
    columns: [
      ['order_id', 'bigint', 'primary'],
      ['user_id', 'bigint'],
      ['product_id', 'bigint'],
      ['category', 'varchar(32)'],
      ['amount', 'decimal(12,2)'],
      ['paid_amount', 'decimal(12,2)'],
      ['status', 'varchar(16)'],
      ['order_date', 'date'],
    ],
  },
  {
    name: 'dws.user_daily',
    layer: 'DWS',
    owner: 'analytics',
    description: 'Orders and paid amount per customer and day.',
    columns: [
      ['user_id', 'bigint'],
      ['order_date', 'date'],
      ['orders', 'bigint'],
      ['amount', 'decimal(14,2)'],
    ],
  },
  {
    name: 'dws.category_daily',
    layer: 'DWS',
    owner: 'analytics',
    description: 'Orders and GMV per category and day.',
    columns: [
      ['category', 'varchar(32)'],
      ['order_date', 'date'],
      ['orders', 'bigint'],
      ['gmv', 'decimal(14,2)'],
    ],
  },
  {
    name: 'dws.realtime_gmv',
    layer: 'DWS',
    owner: 'realtime',
    description: 'GMV per minute, written by the Flink stream job.',
    columns: [
      ['window_start', 'datetime'],
      ['gmv', 'decimal(14,2)'],
    ],
  },
  {
    name: 'ads.sales_dashboard',
    layer: 'ADS',
    owner: 'bi',
    description: 'Daily orders, GMV and buyers for the sales dashboard.',
    columns: [
      ['order_date', 'date', 'primary'],
      ['orders', 'bigint'],
      ['gmv', 'decimal(14,2)'],
      ['buyers', 'bigint'],
    ],
  },
  {
    name: 'ads.top_categories',
    layer: 'ADS',
    owner: 'bi',
    description: 'Categories ranked by GMV per day.',
    columns: [
      ['order_date', 'date'],
      ['category', 'varchar(32)'],
      ['gmv', 'decimal(14,2)'],
      ['rank_no', 'int'],
    ],
  },
  {
    name: 'ads.city_sales',
    layer: 'ADS',
    owner: 'bi',
    description: 'GMV and orders per city.',
    columns: [
      ['city', 'varchar(32)', 'primary'],
      ['orders', 'bigint'],
      ['gmv', 'decimal(14,2)'],
    ],
  },
  {
    name: 'ads.daily_gmv',
    layer: 'ADS',
    owner: 'bi',
    description: 'Daily GMV; no demo task writes it: the README walk-through creates that task.',
    columns: [
      ['order_date', 'date', 'primary'],
      ['gmv', 'decimal(14,2)'],
      ['orders', 'bigint'],
    ],
  },
];

const DAILY = '0 2 * * *';

/** The demo warehouse's tasks: eight batch tasks on the local engine and one stream task. */
export const DEMO_TASKS: readonly DemoTask[] = [
  {
    name: 'dim_customer',
    description: 'Builds the customer dimension.',
    taskType: 'batch',
    sql: 'INSERT OVERWRITE TABLE dim.customer\nSELECT user_id, name, city, date(register_time) AS register_date\nFROM ods.users',
    inputs: ['ods.users'],
    outputs: ['dim.customer'],
    schedule: DAILY,
    owner: 'analytics',
  },
  {
    name: 'dim_product',
    description: 'Builds the product dimension.',
    taskType: 'batch',
    sql: 'INSERT OVERWRITE TABLE dim.product\nSELECT product_id, name, category, price\nFROM ods.products',
    inputs: ['ods.products'],
    outputs: ['dim.product'],
    schedule: DAILY,
    owner: 'analytics',
  },
  {
    name: 'dwd_order_detail',
    description: 'Joins orders with their product category and payment.',
    taskType: 'batch',
    sql:
      'INSERT OVERWRITE TABLE dwd.order_detail\n' +
      'SELECT o.order_id, o.user_id, o.product_id, p.category, o.amount,\n' +
      '       COALESCE(pay.amount, 0) AS paid_amount, o.status, o.dt AS order_date\n' +
      'FROM ods.orders o\n' +
      'JOIN ods.products p ON p.product_id = o.product_id\n' +
      'LEFT JOIN ods.payments pay ON pay.order_id = o.order_id',
    inputs: ['ods.orders', 'ods.payments', 'ods.products'],
    outputs: ['dwd.order_detail'],
    schedule: DAILY,
    owner: 'analytics',
  },
  {
    name: 'dws_user_daily',
    description: 'Aggregates paid orders per customer and day.',
    taskType: 'batch',
    sql:
      'INSERT OVERWRITE TABLE dws.user_daily\n' +
      'SELECT user_id, order_date, COUNT(*) AS orders, SUM(paid_amount) AS amount\n' +
      "FROM dwd.order_detail WHERE status <> 'cancelled'\n" +
      'GROUP BY user_id, order_date',
    inputs: ['dwd.order_detail'],
    outputs: ['dws.user_daily'],
    schedule: DAILY,
    owner: 'analytics',
  },
  {
    name: 'dws_category_daily',
    description: 'Aggregates paid orders per category and day.',
    taskType: 'batch',
    sql:
      'INSERT OVERWRITE TABLE dws.category_daily\n' +
      'SELECT category, order_date, COUNT(*) AS orders, SUM(paid_amount) AS gmv\n' +
      "FROM dwd.order_detail WHERE status <> 'cancelled'\n" +
      'GROUP BY category, order_date',
    inputs: ['dwd.order_detail'],
    outputs: ['dws.category_daily'],
    schedule: DAILY,
    owner: 'analytics',
  },
  {
    name: 'ads_sales_dashboard',
    description: 'Daily figures for the sales dashboard.',
    taskType: 'batch',
    sql:
      'INSERT OVERWRITE TABLE ads.sales_dashboard\n' +
      'SELECT order_date, SUM(orders) AS orders, SUM(amount) AS gmv, COUNT(DISTINCT user_id) AS buyers\n' +
      'FROM dws.user_daily GROUP BY order_date',
    inputs: ['dws.user_daily'],
    outputs: ['ads.sales_dashboard'],
    schedule: DAILY,
    owner: 'bi',
  },
  {
    name: 'ads_top_categories',
    description: 'Ranks categories by GMV per day.',
    taskType: 'batch',
    sql:
      'INSERT OVERWRITE TABLE ads.top_categories\n' +
      'SELECT order_date, category, gmv,\n' +
      '       RANK() OVER (PARTITION BY order_date ORDER BY gmv DESC) AS rank_no\n' +
      'FROM dws.category_daily',
    inputs: ['dws.category_daily'],
    outputs: ['ads.top_categories'],
    schedule: DAILY,
    owner: 'bi',
  },
  {
    name: 'ads_city_sales',
    description: 'GMV and orders per city.',
    taskType: 'batch',
    sql:
      'INSERT OVERWRITE TABLE ads.city_sales\n' +
      'SELECT c.city, SUM(u.orders) AS orders, SUM(u.amount) AS gmv\n' +
      'FROM dws.user_daily u JOIN dim.customer c ON c.user_id = u.user_id\n' +
      'GROUP BY c.city',
    inputs: ['dws.user_daily', 'dim.customer'],
    outputs: ['ads.city_sales'],
    schedule: DAILY,
    owner: 'bi',
  },
  {
    name: 'dws_realtime_gmv',
    description: 'Flink SQL job: GMV per minute (runs on Dinky when DINKY_URL is set).',
    taskType: 'stream',
    sql:
      'INSERT INTO dws.realtime_gmv\n' +
      "SELECT TUMBLE_START(order_time, INTERVAL '1' MINUTE) AS window_start, SUM(amount) AS gmv\n" +
      "FROM ods.orders GROUP BY TUMBLE(order_time, INTERVAL '1' MINUTE)",
    inputs: ['ods.orders'],
    outputs: ['dws.realtime_gmv'],
    schedule: null,
    owner: 'realtime',
  },
];

/** Sample rows per ODS table, as SQL value tuples; deterministic so every start looks the same. */
export function demoRows(): Readonly<Record<string, readonly string[]>> {
  // mulberry32: small, exact in 32-bit integer arithmetic, so every platform gets the same rows.
  let seed = 20_260_101;
  const rand = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const cities = ['Shanghai', 'Beijing', 'Shenzhen', 'Hangzhou', 'Chengdu'];
  const names = [
    'Ada',
    'Bo',
    'Chen',
    'Dana',
    'Eli',
    'Fang',
    'Gus',
    'Hui',
    'Ivo',
    'Jun',
    'Kai',
    'Lin',
  ];
  const products: [string, string, number][] = [
    ['Espresso beans', 'coffee', 12.5],
    ['Drip kettle', 'coffee', 39.9],
    ['Green tea', 'tea', 8.0],
    ['Oolong tea', 'tea', 15.0],
    ['Tea cups (4)', 'kitchen', 22.0],
    ['Chef knife', 'kitchen', 59.0],
    ['Notebook', 'stationery', 4.5],
    ['Fountain pen', 'stationery', 28.0],
    ['Desk lamp', 'home', 45.0],
    ['Cushion', 'home', 18.0],
  ];
  const users = names.map(
    (n, i) =>
      `(${i + 1}, ${q(n)}, ${q(cities[i % cities.length] ?? 'Shanghai')}, ${q(`2025-0${(i % 9) + 1}-15 10:00:00`)})`,
  );
  const productRows = products.map(
    ([n, c, p], i) => `(${i + 1}, ${q(n)}, ${q(c)}, ${p.toFixed(2)})`,
  );
  const orders: string[] = [];
  const payments: string[] = [];
  for (let id = 1; id <= 200; id++) {
    const day = 1 + Math.floor(rand() * 14);
    const date = `2026-11-${String(day).padStart(2, '0')}`;
    const user = 1 + Math.floor(rand() * names.length);
    const product = 1 + Math.floor(rand() * products.length);
    const qty = 1 + Math.floor(rand() * 3);
    const amount = ((products[product - 1]?.[2] ?? 10) * qty).toFixed(2);
    const r = rand();
    const status = r < 0.08 ? 'cancelled' : r < 0.15 ? 'pending' : 'paid';
    const time = `${date} ${String(8 + Math.floor(rand() * 14)).padStart(2, '0')}:${String(Math.floor(rand() * 60)).padStart(2, '0')}:00`;
    orders.push(`(${id}, ${user}, ${product}, ${amount}, ${q(status)}, ${q(time)}, ${q(date)})`);
    if (status === 'paid') {
      const channel = rand() < 0.6 ? 'alipay' : 'wechat';
      payments.push(`(${id + 10_000}, ${id}, ${amount}, ${q(channel)}, ${q(time)})`);
    }
  }
  return {
    'ods.users': users,
    'ods.products': productRows,
    'ods.orders': orders,
    'ods.payments': payments,
  };
}
