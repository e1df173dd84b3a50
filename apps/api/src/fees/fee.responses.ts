import type { FeeQuote } from '@escrow/domain/money';
import { TextField, YenField } from '../http/openapi/response-fields';

/** GET /v1/fees/quote: the breakdown of one contract amount under a fee schedule. */
export class FeeQuoteSchema implements FeeQuote {
  @YenField({ description: 'Contract amount, tax-exclusive (税抜)' }) amount!: number;
  @YenField({ description: 'What the client prepays, tax-inclusive (税込)' }) gross!: number;
  @YenField() feeExTax!: number;
  @YenField() feeTax!: number;
  @YenField({ description: 'feeExTax + feeTax' }) fee!: number;
  @YenField({ description: 'gross − fee: the take-home of the worker (ワーカー受け取り金額)' }) net!: number;
  @TextField({ description: 'Fee schedule id' }) schedule!: string;
}
