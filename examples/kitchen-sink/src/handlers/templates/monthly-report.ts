import type { MonthlyReportTemplateHandler } from '../../generated/resources.ts';
import { allOrders } from '../../shop/data.ts';

/** Template shop://reports/{year}/{month}{?format}: a (tiny) monthly report as CSV or JSON. */
export const monthlyReport: MonthlyReportTemplateHandler = async (params) => {
  const rows = allOrders().map((o) => ({ id: o.id, total: o.total }));
  if (params.format === 'csv') return { text: ['id,total', ...rows.map((r) => `${r.id},${r.total}`)].join('\n'), mimeType: 'text/csv' };
  return { text: JSON.stringify({ year: params.year, month: params.month, rows }), mimeType: 'application/json' };
};
