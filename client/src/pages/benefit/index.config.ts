export default definePageConfig({ navigationBarTitleText: '选择医保待遇' });
