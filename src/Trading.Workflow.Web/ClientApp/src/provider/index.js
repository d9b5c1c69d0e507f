import TwPropertiesProvider from './TwPropertiesProvider.js';

export default {
  __init__: ['twPropertiesProvider'],
  twPropertiesProvider: ['type', TwPropertiesProvider],
};
