# The French learner's JupyterLab (`make lab LANG=fr`, tests/test_browser_fr.py): lab/fr/ comes
# before lab/ on JUPYTER_CONFIG_PATH. JupyterLab reads its default settings from
# settings/overrides.json here: the interface in French (jupyterlab-language-pack-fr-fr).
from pathlib import Path

c = get_config()  # noqa: F821  (injected by traitlets)
c.LabApp.app_settings_dir = str(Path(__file__).resolve().parent / "settings")
