/**
 * Taro's mini-program templates only render the attributes a platform plugin lists for each
 * component, and aria-* are not listed: `ariaLabel` / `ariaRole` props would be dropped from the
 * compiled WXML/AXML. This local plugin adds them, so screen readers (WeChat/Alipay 读屏) get the
 * labels. In H5 the props become real aria-* attributes without help.
 */
const ARIA = { 'aria-label': "''", 'aria-role': "''" };
const COMPONENTS = ['View', 'Text', 'Button', 'Input', 'Image', 'Icon', 'Label', 'Navigator'];

module.exports = (ctx) => {
  ctx.registerMethod({
    name: 'onSetupClose',
    fn(platform) {
      const template = platform && platform.template;
      if (!template || typeof template.mergeComponents !== 'function') return;
      const patch = {};
      for (const c of COMPONENTS) if (template.internalComponents && template.internalComponents[c]) patch[c] = { ...ARIA };
      template.mergeComponents(ctx, patch);
    },
  });
};
