import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ADDONS_PATH, ADDONS_PATH_LABEL } from "../../../model/plan/app-image.ts";

const dockerfile = readFileSync("examples/app-repo/Dockerfile", "utf8");

describe("the app-repo template's image", () => {
  it("declares the addons path the platform's odoo.conf names, in its label and in its own conf", () => {
    expect(dockerfile).toContain(`LABEL ${ADDONS_PATH_LABEL}="${ADDONS_PATH}"`);
    expect(dockerfile).toContain(`"${ADDONS_PATH}" > /etc/odoo/odoo.conf`);
  });

  it("fills each directory of the path", () => {
    const [own, oca] = ADDONS_PATH.split(",");
    expect(dockerfile).toContain(`COPY --chown=odoo:odoo . ${own}/`);
    expect(dockerfile).toContain(`ln -s "$module" "${oca}/$name"`);
  });
});
