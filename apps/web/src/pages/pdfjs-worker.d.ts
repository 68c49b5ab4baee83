/** Vite serves the pdf.js worker as an asset and gives its URL (`?url`). */
declare module 'pdfjs-dist/build/pdf.worker.min.mjs?url' {
  const url: string;
  export default url;
}
