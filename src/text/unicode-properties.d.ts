// Minimal typings for the parts of unicode-properties we use (the package ships none).
declare module "unicode-properties" {
  const props: {
    getScript(codePoint: number): string;
    getCategory(codePoint: number): string;
    isMark(codePoint: number): boolean;
    isAlphabetic(codePoint: number): boolean;
  };
  export default props;
}
