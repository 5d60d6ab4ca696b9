// A small Eleventy newsroom, written for sitegen's import tests.
module.exports = function (eleventyConfig) {
  return { dir: { input: "src", output: "_site" }, markdownTemplateEngine: "liquid" };
};
