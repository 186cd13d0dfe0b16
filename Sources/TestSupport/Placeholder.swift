import Foundation
enum PlaceholderTestSupport {}
