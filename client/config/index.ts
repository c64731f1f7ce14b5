import path from 'path';
import { defineConfig } from '@tarojs/cli';

/**
 * One Taro 4 (webpack5) configuration for the WeChat and Alipay mini-programs and the H5 preview.
 * Mini-programs call the BFF at TARO_APP_API_BASE (absolute https, set in the shell or a .env file);
 * the H5 preview calls the same origin.
 */
const API_BASE = process.env.TARO_APP_API_BASE || 'https://mip-bff.hospital.example.cn';

export default defineConfig<'webpack5'>(() => ({
  projectName: 'mip-patient',
  date: '2025-1-1',
  designWidth: 375,
  deviceRatio: { 375: 2, 640: 2.34 / 2, 750: 1, 828: 1.81 / 2 },
  sourceRoot: 'src',
  outputRoot: `dist/${process.env.TARO_ENV}`,
  plugins: [path.resolve(__dirname, 'a11y-plugin.js')],
  env: { TARO_APP_API_BASE: JSON.stringify(API_BASE) },
  defineConstants: {},
  copy: { patterns: [], options: {} },
  framework: 'react',
  // prebundle (dev mode only) breaks on this webpack-virtual-modules ("_writeVirtualFile is not a function")
  compiler: { type: 'webpack5', prebundle: { enable: false } },
  cache: { enable: false },
  alias: {},
  sass: undefined,
  mini: {
    // shared/ lives outside client/ and is TypeScript source: compile it like our own files
    compile: { include: [path.resolve(__dirname, '..', '..', 'shared', 'src')] },
    postcss: {
      pxtransform: { enable: true, config: {} },
      cssModules: { enable: false },
    },
    optimizeMainPackage: { enable: true },
  },
  h5: {
    publicPath: './',
    staticDirectory: 'static',
    router: { mode: 'hash' },
    // `npm run dev:h5`: the preview calls /api on its own origin; forward it to a running BFF
    devServer: {
      host: '127.0.0.1',
      proxy: { '/api': { target: process.env.MIP_BFF_URL || 'http://127.0.0.1:3000', changeOrigin: true } },
    },
    compile: { include: [path.resolve(__dirname, '..', '..', 'shared', 'src')] },
    postcss: {
      autoprefixer: { enable: true, config: {} },
      cssModules: { enable: false },
    },
    output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'js/[name].[contenthash:8].js' },
    // Taro splits only initial chunks for H5, so every lazily loaded page carried its own copy of
    // the component wrappers (~70 KB each); share them between pages instead.
    webpackChain(chain) {
      const split = chain.optimization.get('splitChunks');
      if (split) chain.optimization.splitChunks({ ...split, chunks: 'all' });
    },
    miniCssExtractPluginOption: { filename: 'css/[name].[contenthash:8].css', chunkFilename: 'css/[name].[contenthash:8].css' },
  },
}));
