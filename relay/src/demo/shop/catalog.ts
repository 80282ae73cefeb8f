import type { Category } from '@agentpay/protocol';

/** The shop's one currency; every price below is in its minor units (fen). */
export const CURRENCY = 'CNY';
export const SHOP_NAME = 'Demo Tea Shop';
/** What the relay's mandates see for every order here. */
export const CATEGORY: Category = 'physical_goods';

export interface Product {
  id: string;
  name: string;
  description: string;
  unitMinor: number;
}

export const PRODUCTS: readonly Product[] = [
  { id: 'longjing', name: 'West Lake Longjing green tea, 50 g', description: 'Spring-picked, pan-fired, chestnut-sweet.', unitMinor: 35_00 },
  { id: 'tieguanyin', name: 'Tieguanyin oolong, 100 g', description: 'Rolled Anxi oolong with an orchid finish.', unitMinor: 58_00 },
  { id: 'puerh', name: 'Aged pu-erh cake, 357 g', description: 'Ten years in Menghai; earthy and smooth.', unitMinor: 128_00 },
  { id: 'teapot', name: 'Yixing clay teapot', description: 'Hand-thrown zisha, 200 ml.', unitMinor: 189_00 },
];

export function findProduct(id: string): Product | undefined {
  return PRODUCTS.find((product) => product.id === id);
}
