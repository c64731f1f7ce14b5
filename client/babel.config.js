// Taro's preset (React, TypeScript, webpack5). See /work/shared/TOOLCHAIN.md.
module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5' }]],
};
