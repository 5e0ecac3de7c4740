"""The built-in sector plugins 商务, 街道 and 应急: ordinary plugins, registered through the ``drafter`` entry-point
group exactly as a third-party plugin is. Their text lives in one YAML file each."""

from importlib.resources import files

from drafter import hookimpl
from drafter.catalogue import Finding, YamlPlugin

HERE = files(__name__)

shangwu = YamlPlugin(HERE / "shangwu.yaml")
jiedao = YamlPlugin(HERE / "jiedao.yaml")


class Coordinator(YamlPlugin):
    """The 应急 plugin: the district 安委办 coordinates the month, so its notice must deploy the 咨询日."""

    @hookimpl
    def check_notice(self, notice, answers) -> list[Finding]:
        if answers.issuer.sector != "应急" or "consult_day_main" in answers.activities:
            return []
        titles = [block.title for _, _, block in notice.numbered_blocks() if hasattr(block, "title")]
        if any("咨询日" in t for t in titles):  # deployed in a section or an activity the clerk wrote
            return []
        return [Finding(severity="warning", element="主要活动",
                        message="应急（安委办）通知未部署 6月16日“安全宣传咨询日”主场活动（consult_day_main），"
                                "各街道和部门的分场活动需以此为依托，请确认是否有意删去",
                        rule="全国“安全宣传咨询日”为6月16日")]


yingji = Coordinator(HERE / "yingji.yaml")
