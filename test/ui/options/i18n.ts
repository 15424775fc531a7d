import { translatorFor } from '../../helpers/i18n.js';

export { loadCatalogue } from '../../helpers/i18n.js';

export const translator = (lang = 'en') => translatorFor(lang, 'options_error_');
