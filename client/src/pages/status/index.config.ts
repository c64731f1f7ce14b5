export default definePageConfig({ navigationBarTitleText: '核验医保身份' });
