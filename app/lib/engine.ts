/**
 * The flow model, as the web app sees it: one import path (`~/lib/engine`) for the engine
 * shared by the browser (live validation, edit operations) and the server (save, publish).
 */
export * from '../../engine/index';
