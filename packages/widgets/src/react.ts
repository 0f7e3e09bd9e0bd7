// `import '@pulso/widgets/react'`: the same module as `@pulso/widgets` (it defines the three
// elements), plus their types in React's JSX. React 19 renders custom elements natively: a prop the
// element has as a property is set as that property (`comment`, `customer`, `token`), any other as an
// attribute (`api-key`, `page-size`), and `on<event-name>` adds a listener for that DOM event
// (`onpulso-rated`). So the props below are the elements' attribute names, as in HTML, and their
// events by name. Only types are emitted from this file (the bundle is `dist/pulso.js`); the
// consumer build test (test/widgets-package.test.ts) type-checks every attribute of the custom
// elements manifest through it.
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type {
  PulsoAtRisk,
  PulsoCustomerTokenExpiredEvent,
  PulsoGauge,
  PulsoRatedEvent,
  PulsoRating,
  PulsoSelectEvent,
  PulsoTokenExpiringEvent,
} from './index.ts';

export * from './index.ts';

/** What every widget takes, beside React's own props for any element (`className`, `style`, `ref`…). */
type WidgetProps<E extends HTMLElement> = DetailedHTMLProps<HTMLAttributes<E>, E> & {
  endpoint?: string;
  locale?: string;
  theme?: 'light' | 'dark' | 'auto';
};

/** Props of `<pulso-gauge>`. */
export interface PulsoGaugeProps extends WidgetProps<PulsoGauge> {
  token?: string;
  customer?: string;
  live?: PulsoGauge['live'];
  'onpulso-token-expiring'?: (event: PulsoTokenExpiringEvent) => void;
}

/** Props of `<pulso-rating>`. */
export interface PulsoRatingProps extends WidgetProps<PulsoRating> {
  'api-key'?: string;
  customer?: string;
  'customer-token'?: string;
  variant?: PulsoRating['variant'];
  stage?: string;
  comment?: boolean;
  'ask-again-days'?: number;
  question?: string;
  compact?: boolean;
  'onpulso-rated'?: (event: PulsoRatedEvent) => void;
  'onpulso-customer-token-expired'?: (event: PulsoCustomerTokenExpiredEvent) => void;
}

/** Props of `<pulso-at-risk>`. */
export interface PulsoAtRiskProps extends WidgetProps<PulsoAtRisk> {
  token?: string;
  'page-size'?: number;
  heading?: string;
  live?: PulsoAtRisk['live'];
  'onpulso-select'?: (event: PulsoSelectEvent) => void;
  'onpulso-token-expiring'?: (event: PulsoTokenExpiringEvent) => void;
}

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'pulso-gauge': PulsoGaugeProps;
      'pulso-rating': PulsoRatingProps;
      'pulso-at-risk': PulsoAtRiskProps;
    }
  }
}
