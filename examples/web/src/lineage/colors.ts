/** One colour per warehouse layer, used by the graph, tags and the legend. */
export const LAYER_COLORS: Readonly<Record<string, string>> = {
  ODS: '#6b7280',
  DWD: '#2563eb',
  DIM: '#7c3aed',
  DWS: '#0d9488',
  ADS: '#d97706',
};

/** Layers left to right, the order tables are laid out in. */
export const LAYER_ORDER: readonly string[] = ['ODS', 'DWD', 'DIM', 'DWS', 'ADS'];

/** Colour of a table with no (or an unknown) layer. */
export const NO_LAYER_COLOR = '#9ca3af';
