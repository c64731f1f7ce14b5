export default definePageConfig({ navigationBarTitleText: '门诊待缴费' });
