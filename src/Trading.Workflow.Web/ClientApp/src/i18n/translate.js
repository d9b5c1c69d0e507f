import zh from './zh.js';

const dictionaries = { zh };

/** A translate service for bpmn-js: looks the English template up in the dictionary of the UI language. */
export function createTranslate(language) {
  const dictionary = dictionaries[(language || '').split('-')[0].toLowerCase()] || {};
  return function translate(template, replacements) {
    const text = dictionary[template] || template;
    const values = replacements || {};
    return text.replace(/{([^}]+)}/g, (match, key) => (key in values ? values[key] : match));
  };
}

export function translateModule(language) {
  return { translate: ['value', createTranslate(language)] };
}
