import type { ReturnsPolicyResourceHandler } from '../../generated/resources.ts';

/** Resource file:///policies/returns.md. */
export const returnsPolicy: ReturnsPolicyResourceHandler = async () => ({
  text: '# Returns\n\nUnused items can be returned within 30 days.\n',
});
