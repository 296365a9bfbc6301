// n8n loads the package through the "n8n" section of package.json; this entry point only
// lets `require('n8n-nodes-nanonets-api')` resolve for tools that expect one.
module.exports = {};
