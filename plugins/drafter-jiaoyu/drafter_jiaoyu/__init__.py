"""drafter plugin for the 教育 sector: a district education bureau and its schools and kindergartens.

Its text is in jiaoyu.yaml; the one hook written in Python checks that a June notice to schools deploys
drowning prevention, the season's first risk for pupils."""

from importlib.resources import files

from drafter import hookimpl
from drafter.catalogue import Finding, YamlPlugin


class Education(YamlPlugin):
    @hookimpl
    def check_notice(self, notice, answers) -> list[Finding]:
        if answers.issuer.sector != "教育" or "drowning_prevention" in answers.activities:
            return []
        return [Finding(severity="warning", element="主要活动",
                        message="教育系统6月的通知一般应部署防溺水安全教育（drowning_prevention），"
                                "临近暑假，溺水是中小学生的首要安全风险",
                        rule="教育行业插件：6月通知部署防溺水")]


plugin = Education(files(__name__) / "jiaoyu.yaml")
