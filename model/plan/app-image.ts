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
 * Both directories may be empty (an app without OCA submodules): odoo/tools/config.py only normalises
 * the config file's addons_path, whereas `--addons-path` on a command line refuses a directory without
 * modules, so the platform never passes the path as a flag.
 *
 * The image is built FROM the official Odoo image (odoo/docker): `odoo` on the PATH, its `odoo` user
 * (uid 101), its core addons under the Debian package's directory. The image carries the same path in the
 * label `org.odooops.addons-path`, which the app build workflow checks against the image's directories.
 */
export const APP_ADDONS_DIR = "/mnt/extra-addons";
export const OCA_ADDONS_DIR = "/mnt/oca-addons";
/** Odoo's own addons in the official image (the nightly .deb installs Odoo as a Debian Python package). */
export const ODOO_CORE_ADDONS_DIR = "/usr/lib/python3/dist-packages/odoo/addons";
export const ADDONS_PATH_LABEL = "org.odooops.addons-path";

/** odoo.conf's addons_path: the project's modules first, so they may override an OCA module of the same name. */
export const ADDONS_PATH = [APP_ADDONS_DIR, OCA_ADDONS_DIR, ODOO_CORE_ADDONS_DIR].join(",");

/**
 * What the platform starts in the image, in place of the official entrypoint (odoo/docker
 * `entrypoint.sh`): Odoo itself, with the platform's odoo.conf. The entrypoint does two things the
 * platform must not depend on. It appends `--db_host/--db_port/--db_user/--db_password` for every
 * setting its config file ($ODOO_RC) lacks, from HOST/PORT/USER/PASSWORD, falling back to `PG*` in the
 * 17.0/18.0 images of 2025 and to `db`/`odoo` in older ones (19.0 skips a flag only when the `PG*`
 * variable is set), and flags beat the config file: what a run reached depended on the image's
 * release. And its `wait-for-psql.py` connects to a database named `postgres`, which a managed cluster
 * need not have or open to the environment's role (DigitalOcean's maintenance database is
 * `defaultdb`), failing the start after 30 s. The platform starts Odoo only once its database is
 * ready, and its odoo.conf names every database setting, so Odoo needs neither.
 */
export const ODOO_EXECUTABLE = "odoo";
