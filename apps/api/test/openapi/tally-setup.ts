import { saveTally } from './validated-responses';

// Runs in every e2e test file: its count of validated responses joins the run's summary.
afterAll(() => saveTally());
