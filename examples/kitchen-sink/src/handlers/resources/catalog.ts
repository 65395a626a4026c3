import type { CatalogResourceHandler } from '../../generated/resources.ts';
import { catalog as products } from '../../shop/data.ts';

/** Resource shop://catalog: every product with its price, as JSON. */
export const catalog: CatalogResourceHandler = async () => ({ text: JSON.stringify(products) });
