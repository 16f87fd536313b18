import HistoryQuery
import PulseAPI

/// The engine is one of the API's history sources.
extension EngineHistory: HistorySource {}
