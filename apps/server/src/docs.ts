/** The API reference page (Swagger UI from the npm package, no CDN; scripts are files, so CSP holds). */
export const docsPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>civicgrid API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script></body></html>`;

export const docsInit = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true });`;

/** Until the web app lands (issue #5), the root page says what is running and where to go. */
export const landingPage = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>civicgrid 网格化社会治理平台</title>
<style>body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;line-height:1.6;color:#1a1a1a}code{background:#f2f2f2;padding:0 .3em}</style>
</head><body>
<h1>civicgrid 网格化社会治理平台</h1>
<p>服务已启动：历城区（370112）示范数据。接口文档见 <a href="/api/docs">/api/docs</a>，健康检查 <a href="/api/health">/api/health</a>。</p>
<p lang="en">The server is running with the demo district of Licheng. The web faces (command center, case desk, worker app, resident page) are being built; the API is documented at <a href="/api/docs">/api/docs</a>. Demo accounts: <code>npx civicgrid demo-accounts</code>.</p>
</body></html>`;
