/**
 * The contract between the platform and an app repository's image (examples/app-repo/Dockerfile).
 *
 * The platform writes odoo.conf itself (credentials, mail, workers), and Odoo reads exactly one config
 * file, so the image cannot declare its addons through its own odoo.conf: the platform's file replaces
 * it. Nor can a label work: the plan is computed without pulling the image. The contract is therefore
 * two well-known directories, which the image fills and the platform's odoo.conf names:
 *
 * - `/mnt/extra-addons`: the repository's own modules (the official image's addons volume);
 * - `/mnt/oca-addons`: every module of the OCA repositories, one link per module (OCA repositories are
 *   submodules, each a directory of modules; linking their modules into one directory, as Doodba's
 *   `auto/addons` does, keeps the path fixed however many repositories a project adds).
 *
 * The image is built FROM the official Odoo image (odoo/docker): its entrypoint, its `odoo` user (uid
 * 101), its core addons under the Debian package's directory. The image carries the same path in the
 * label `org.odooops.addons-path`, which the app build workflow checks against the image's directories.
 */
export const APP_ADDONS_DIR = "/mnt/extra-addons";
export const OCA_ADDONS_DIR = "/mnt/oca-addons";
/** Odoo's own addons in the official image (the nightly .deb installs Odoo as a Debian Python package). */
export const ODOO_CORE_ADDONS_DIR = "/usr/lib/python3/dist-packages/odoo/addons";
export const ADDONS_PATH_LABEL = "org.odooops.addons-path";

/** odoo.conf's addons_path: the project's modules first, so they may override an OCA module of the same name. */
export const ADDONS_PATH = [APP_ADDONS_DIR, OCA_ADDONS_DIR, ODOO_CORE_ADDONS_DIR].join(",");

/** The official image's entrypoint: it waits for PostgreSQL and adds `--db_*` flags the conf lacks. */
export const ODOO_ENTRYPOINT = "/entrypoint.sh";
